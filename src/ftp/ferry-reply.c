/* ferry-reply.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-reply"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-ftp-error.h"
#include "ferry-reply.h"

#include <string.h>

/* How much of an offending line an error message quotes. */
#define QUOTE_MAX_CHARS 200

struct _FerryReply
{
  GObject   parent_instance;

  /* Owned */
  char    **lines;
  char     *text;

  guint     code;
};

G_DEFINE_FINAL_TYPE (FerryReply, ferry_reply, G_TYPE_OBJECT)

struct _FerryReplyParser
{
  GObject    parent_instance;

  /* Owned */
  GString   *line;     /* the line being received, without its LF */
  GPtrArray *lines;    /* the finished lines of the reply being received */
  GError    *error;    /* once set, the stream is broken until a reset */

  /* Bytes of the reply being received that are in @lines, line ends included */
  gsize      size;
  /* The first line's "ddd", or "" before the first line is complete */
  char       code[4];
};

G_DEFINE_FINAL_TYPE (FerryReplyParser, ferry_reply_parser, G_TYPE_OBJECT)

/* Whether @line starts with @code (three digits) followed by ' ' or '-'. */
static gboolean
has_code_prefix (const char *line,
                 const char *code)
{
  return strncmp (line, code, 3) == 0 && (line[3] == ' ' || line[3] == '-');
}

static char *
build_text (const char * const *lines,
            guint               code)
{
  GString *text = g_string_new (NULL);
  char code_str[4];

  g_snprintf (code_str, sizeof code_str, "%03u", code);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      if (i > 0)
        g_string_append_c (text, '\n');

      /* Only the reply's own code is a prefix: a line inside a multi-line
       * reply that starts with other digits ("200 files") is text. */
      if (has_code_prefix (line, code_str))
        line += 4;

      g_string_append (text, line);
    }

  return g_string_free (text, FALSE);
}

/* Takes ownership of @lines, a NULL-terminated array. */
static FerryReply *
ferry_reply_new_take (guint   code,
                      char  **lines)
{
  FerryReply *self;

  g_assert (code >= 100 && code <= 599);
  g_assert (lines != NULL);

  self = g_object_new (FERRY_TYPE_REPLY, NULL);
  self->code = code;
  self->lines = lines;
  self->text = build_text ((const char * const *) lines, code);

  return self;
}

static void
ferry_reply_finalize (GObject *object)
{
  FerryReply *self = (FerryReply *)object;

  g_clear_pointer (&self->lines, g_strfreev);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (ferry_reply_parent_class)->finalize (object);
}

static void
ferry_reply_class_init (FerryReplyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_reply_finalize;
}

static void
ferry_reply_init (FerryReply *self)
{
}

/**
 * ferry_reply_new:
 * @code: the reply code, 100 to 599
 * @lines: (nullable) (array zero-terminated=1): the lines as received,
 *   without line ends, the first one starting with @code
 *
 * Builds a reply, e.g. for tests or for a reply assembled elsewhere.  The
 * text drops the "ddd " or "ddd-" prefix from every line that carries
 * @code as its prefix.
 *
 * Returns: (transfer full): a new #FerryReply
 */
FerryReply *
ferry_reply_new (guint               code,
                 const char * const *lines)
{
  char **copy;

  g_return_val_if_fail (code >= 100 && code <= 599, NULL);

  if (lines != NULL)
    copy = g_strdupv ((char **) lines);
  else
    copy = g_new0 (char *, 1);

  return ferry_reply_new_take (code, copy);
}

/**
 * ferry_reply_get_code:
 * @self: a #FerryReply
 *
 * Returns: the three-digit reply code, 100 to 599
 */
guint
ferry_reply_get_code (FerryReply *self)
{
  g_return_val_if_fail (FERRY_IS_REPLY (self), 0);

  return self->code;
}

/**
 * ferry_reply_get_class:
 * @self: a #FerryReply
 *
 * Gets the first digit of the code: 1 preliminary, 2 done, 3 needs more,
 * 4 transient failure, 5 permanent failure (RFC 959 §4.2.1).
 *
 * Returns: the reply class, 1 to 5
 */
guint
ferry_reply_get_class (FerryReply *self)
{
  g_return_val_if_fail (FERRY_IS_REPLY (self), 0);

  return self->code / 100;
}

/**
 * ferry_reply_get_lines:
 * @self: a #FerryReply
 *
 * Gets the lines as the server sent them, without line ends.  NUL bytes the
 * server sent have been replaced by spaces.
 *
 * Returns: (transfer none) (array zero-terminated=1): the lines
 */
const char * const *
ferry_reply_get_lines (FerryReply *self)
{
  g_return_val_if_fail (FERRY_IS_REPLY (self), NULL);

  return (const char * const *) self->lines;
}

/**
 * ferry_reply_get_text:
 * @self: a #FerryReply
 *
 * Gets the human-readable text: the lines joined by "\n", each without its
 * "ddd " or "ddd-" prefix.  The text is not sanitized; pass it through
 * ferry_ftp_sanitize_text() before showing it.
 *
 * Returns: (transfer none): the text, possibly empty
 */
const char *
ferry_reply_get_text (FerryReply *self)
{
  g_return_val_if_fail (FERRY_IS_REPLY (self), NULL);

  return self->text;
}

/**
 * ferry_reply_get_first_line:
 * @self: a #FerryReply
 *
 * Returns: (transfer none): the first line as received, code included, or
 *   "" for a reply built without lines
 */
const char *
ferry_reply_get_first_line (FerryReply *self)
{
  g_return_val_if_fail (FERRY_IS_REPLY (self), NULL);

  return self->lines[0] != NULL ? self->lines[0] : "";
}

/**
 * ferry_reply_is_preliminary:
 * @self: a #FerryReply
 *
 * Whether this is a 1yz reply, after which the final reply is still to come.
 *
 * Returns: %TRUE for class 1
 */
gboolean
ferry_reply_is_preliminary (FerryReply *self)
{
  g_return_val_if_fail (FERRY_IS_REPLY (self), FALSE);

  return self->code / 100 == 1;
}

/**
 * ferry_reply_is_positive:
 * @self: a #FerryReply
 *
 * Whether the command succeeded (2yz) or was accepted and needs a follow-up
 * command (3yz).
 *
 * Returns: %TRUE for classes 2 and 3
 */
gboolean
ferry_reply_is_positive (FerryReply *self)
{
  g_return_val_if_fail (FERRY_IS_REPLY (self), FALSE);

  return self->code / 100 == 2 || self->code / 100 == 3;
}

/* Parser */

static char *
quote_line (const char *line,
            gsize       len)
{
  g_autofree char *clean = ferry_ftp_sanitize_text (line, len);

  if (g_utf8_strlen (clean, -1) > QUOTE_MAX_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (clean, 0, QUOTE_MAX_CHARS);

      return g_strconcat (cut, "…", NULL);
    }

  return g_steal_pointer (&clean);
}

static void
ferry_reply_parser_fail (FerryReplyParser *self,
                         GError           *error)
{
  g_assert (FERRY_IS_REPLY_PARSER (self));
  g_assert (self->error == NULL);

  self->error = error;
}

static void
ferry_reply_parser_clear_reply (FerryReplyParser *self)
{
  g_assert (FERRY_IS_REPLY_PARSER (self));

  g_string_truncate (self->line, 0);
  g_ptr_array_set_size (self->lines, 0);
  self->size = 0;
  self->code[0] = '\0';
}

/* Appends received bytes to the current line.  NUL becomes a space so that
 * the lines and the text stay valid C strings. */
static void
ferry_reply_parser_append (FerryReplyParser *self,
                           const char       *data,
                           gsize             len)
{
  gsize start;
  char *p;
  char *end;

  g_assert (FERRY_IS_REPLY_PARSER (self));

  start = self->line->len;
  g_string_append_len (self->line, data, len);

  p = self->line->str + start;
  end = self->line->str + self->line->len;
  while ((p = memchr (p, '\0', end - p)) != NULL)
    *p++ = ' ';
}

/* Ends the current line.  Returns TRUE and sets *@done when it ended the
 * reply; returns FALSE and sets self->error when the stream is broken. */
static gboolean
ferry_reply_parser_end_line (FerryReplyParser *self,
                             gboolean         *done)
{
  GString *line = self->line;
  gboolean first = self->code[0] == '\0';

  g_assert (FERRY_IS_REPLY_PARSER (self));

  *done = FALSE;

  /* CRLF is the standard line end; a lone LF is accepted too.  A CR
   * elsewhere stays in the line, for the sanitizer to deal with. */
  if (line->len > 0 && line->str[line->len - 1] == '\r')
    g_string_truncate (line, line->len - 1);

  if (first)
    {
      /* RFC 959 §4.2: a reply starts with a code whose first digit is 1-5,
       * followed by ' ' (single line) or '-' (more lines follow). */
      if (line->len < 4 ||
          line->str[0] < '1' || line->str[0] > '5' ||
          !g_ascii_isdigit (line->str[1]) ||
          !g_ascii_isdigit (line->str[2]) ||
          (line->str[3] != ' ' && line->str[3] != '-'))
        {
          g_autofree char *quoted = quote_line (line->str, line->len);
          GError *error;

          /* Translators: %s is what the server sent */
          error = g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY,
                               _("The server sent something that is not an FTP reply: “%s”"),
                               quoted);
          ferry_reply_parser_fail (self, error);
          return FALSE;
        }

      memcpy (self->code, line->str, 3);
      self->code[3] = '\0';
      *done = line->str[3] == ' ';
    }
  else
    {
      /* A multi-line reply ends at the first later line that starts with
       * the same code and a space; anything else, digits included, is text. */
      *done = line->len >= 4 &&
              memcmp (line->str, self->code, 3) == 0 &&
              line->str[3] == ' ';
    }

  g_ptr_array_add (self->lines, g_strndup (line->str, line->len));
  g_string_truncate (line, 0);

  return TRUE;
}

static FerryReply *
ferry_reply_parser_take_reply (FerryReplyParser *self)
{
  FerryReply *reply;
  guint code;

  g_assert (FERRY_IS_REPLY_PARSER (self));
  g_assert (self->code[0] != '\0');

  code = (guint) g_ascii_strtoull (self->code, NULL, 10);
  g_ptr_array_add (self->lines, NULL);
  reply = ferry_reply_new_take (code, (char **) g_ptr_array_steal (self->lines, NULL));
  ferry_reply_parser_clear_reply (self);

  return reply;
}

static void
ferry_reply_parser_finalize (GObject *object)
{
  FerryReplyParser *self = (FerryReplyParser *)object;

  g_string_free (self->line, TRUE);
  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (ferry_reply_parser_parent_class)->finalize (object);
}

static void
ferry_reply_parser_class_init (FerryReplyParserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_reply_parser_finalize;
}

static void
ferry_reply_parser_init (FerryReplyParser *self)
{
  self->line = g_string_new (NULL);
  self->lines = g_ptr_array_new_with_free_func (g_free);
}

/**
 * ferry_reply_parser_new:
 *
 * Creates a parser for the replies on one control connection.
 *
 * Returns: (transfer full): a new #FerryReplyParser
 */
FerryReplyParser *
ferry_reply_parser_new (void)
{
  return g_object_new (FERRY_TYPE_REPLY_PARSER, NULL);
}

/**
 * ferry_reply_parser_feed:
 * @self: a #FerryReplyParser
 * @data: (array length=len): bytes received on the control connection
 * @len: the number of bytes in @data
 * @consumed: (out): how many bytes of @data were used
 * @reply: (out) (transfer full) (nullable): the completed reply, if any
 * @error: return location for a #GError
 *
 * Feeds received bytes to the parser.  It stops right after the line end
 * that completes a reply and returns that reply in @reply, with @consumed
 * telling where the next reply starts: feed the rest again, as it may hold
 * further replies (a 150 and the 226 often arrive together).  If @data ends
 * before a reply is complete, all of it is kept for the next call and
 * @reply is set to %NULL.
 *
 * Lines may end in CRLF or LF alone.  A first line that is not "ddd " or
 * "ddd-" with a code from 100 to 599 fails with
 * %FERRY_FTP_ERROR_BAD_REPLY; a reply that grows over
 * %FERRY_REPLY_MAX_SIZE bytes fails with %FERRY_FTP_ERROR_REPLY_TOO_LONG as
 * soon as the limit is crossed.  After an error, the parser fails again
 * with the same error until ferry_reply_parser_reset() is called.
 *
 * Returns: %TRUE on success, %FALSE if the server's data is broken
 */
gboolean
ferry_reply_parser_feed (FerryReplyParser  *self,
                         const char        *data,
                         gsize              len,
                         gsize             *consumed,
                         FerryReply       **reply,
                         GError           **error)
{
  gsize pos = 0;

  g_return_val_if_fail (FERRY_IS_REPLY_PARSER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (consumed != NULL, FALSE);
  g_return_val_if_fail (reply != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *consumed = 0;
  *reply = NULL;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  while (pos < len)
    {
      const char *lf = memchr (data + pos, '\n', len - pos);
      gsize seg_end = lf != NULL ? (gsize) (lf - data) : len;
      gsize seg_len = seg_end - pos;
      gboolean done;

      /* Check before buffering, so that an endless line without a line end
       * is refused once it crosses the cap instead of growing the buffer. */
      if (self->size + self->line->len + seg_len + (lf != NULL ? 1 : 0) > FERRY_REPLY_MAX_SIZE)
        {
          ferry_reply_parser_fail (self,
                                   g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_REPLY_TOO_LONG,
                                                _("The server’s reply is longer than %u bytes"),
                                                (guint) FERRY_REPLY_MAX_SIZE));
          *consumed = pos;
          g_propagate_error (error, g_error_copy (self->error));
          return FALSE;
        }

      ferry_reply_parser_append (self, data + pos, seg_len);
      pos = seg_end;

      if (lf == NULL)
        break;

      /* The LF and, if present, the CR before it count towards the cap. */
      pos++;
      self->size += self->line->len + 1;

      if (!ferry_reply_parser_end_line (self, &done))
        {
          *consumed = pos;
          g_propagate_error (error, g_error_copy (self->error));
          return FALSE;
        }

      if (done)
        {
          *consumed = pos;
          *reply = ferry_reply_parser_take_reply (self);
          return TRUE;
        }
    }

  *consumed = len;

  return TRUE;
}

/**
 * ferry_reply_parser_reset:
 * @self: a #FerryReplyParser
 *
 * Drops any partly received reply and a previous error, e.g. for a new
 * connection.
 */
void
ferry_reply_parser_reset (FerryReplyParser *self)
{
  g_return_if_fail (FERRY_IS_REPLY_PARSER (self));

  ferry_reply_parser_clear_reply (self);
  g_clear_error (&self->error);
}

/**
 * ferry_reply_parser_get_pending:
 * @self: a #FerryReplyParser
 *
 * Gets how many bytes the parser holds of a reply that is not complete yet:
 * zero between replies.  A connection that ends with bytes pending ended
 * in the middle of a reply.
 *
 * Returns: the number of bytes buffered
 */
gsize
ferry_reply_parser_get_pending (FerryReplyParser *self)
{
  g_return_val_if_fail (FERRY_IS_REPLY_PARSER (self), 0);

  return self->size + self->line->len;
}
