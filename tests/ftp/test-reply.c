/* test-reply.c: FerryReply and FerryReplyParser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ferry-ftp-error.h"
#include "ferry-reply.h"

#include <string.h>

/* Feeds all of @data (which must hold exactly one complete reply) and
 * returns the reply. */
static FerryReply *
parse_one (const char *data,
           gsize       len)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  FerryReply *reply = NULL;
  gsize consumed = 0;
  gboolean ok;

  ok = ferry_reply_parser_feed (parser, data, len, &consumed, &reply, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_nonnull (reply);
  g_assert_cmpuint (consumed, ==, len);
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 0);

  return reply;
}

/* Feeds @data, expecting it to fail with @code. */
static void
assert_feed_fails (const char *data,
                   gsize       len,
                   int         code)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FerryReply) reply = NULL;
  gsize consumed = 0;
  gboolean ok;

  ok = ferry_reply_parser_feed (parser, data, len, &consumed, &reply, &error);
  g_assert_error (error, FERRY_FTP_ERROR, code);
  g_assert_false (ok);
  g_assert_null (reply);
}

static void
assert_lines (FerryReply         *reply,
              const char * const *expected)
{
  const char * const *lines = ferry_reply_get_lines (reply);

  g_assert_cmpuint (g_strv_length ((char **) lines), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    g_assert_cmpstr (lines[i], ==, expected[i]);
}

static void
test_single_line (void)
{
  static const char data[] = "220 Welcome to Ferry's test server\r\n";
  static const char * const lines[] = { "220 Welcome to Ferry's test server", NULL };
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("PROTOCOL.md Replies: a reply is `ddd text` on one line");

  reply = parse_one (data, strlen (data));
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 220);
  g_assert_cmpuint (ferry_reply_get_class (reply), ==, 2);
  g_assert_cmpstr (ferry_reply_get_text (reply), ==, "Welcome to Ferry's test server");
  g_assert_cmpstr (ferry_reply_get_first_line (reply), ==, "220 Welcome to Ferry's test server");
  g_assert_true (ferry_reply_is_positive (reply));
  g_assert_false (ferry_reply_is_preliminary (reply));
  assert_lines (reply, lines);
}

static void
test_multiline (void)
{
  static const char data[] =
    "230-Welcome, ferry\r\n"
    "123 this line starts with digits\r\n"
    "230-some servers repeat the code\r\n"
    "230without a space is not the end\r\n"
    "  indented text\r\n"
    "230 Logged in\r\n";
  static const char * const lines[] = {
    "230-Welcome, ferry",
    "123 this line starts with digits",
    "230-some servers repeat the code",
    "230without a space is not the end",
    "  indented text",
    "230 Logged in",
    NULL
  };
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("PROTOCOL.md Replies: `ddd-` starts a reply that ends at the first later "
                  "line beginning with the same three digits and a space; lines in between "
                  "may start with digits");

  reply = parse_one (data, strlen (data));
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 230);
  assert_lines (reply, lines);
  g_assert_cmpstr (ferry_reply_get_first_line (reply), ==, "230-Welcome, ferry");
  g_assert_cmpstr (ferry_reply_get_text (reply), ==,
                   "Welcome, ferry\n"
                   "123 this line starts with digits\n"
                   "some servers repeat the code\n"
                   "230without a space is not the end\n"
                   "  indented text\n"
                   "Logged in");
}

static void
test_multiline_other_code (void)
{
  static const char data[] =
    "211-Status of ftp.example.org\r\n"
    "226 Transfer complete (an old reply, quoted)\r\n"
    "550 also not the end\r\n"
    "211 End of status\r\n";
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("PROTOCOL.md Replies: only the same code followed by a space ends a "
                  "multi-line reply; a line with another code is text");

  reply = parse_one (data, strlen (data));
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 211);
  g_assert_cmpuint (g_strv_length ((char **) ferry_reply_get_lines (reply)), ==, 4);
  g_assert_cmpstr (ferry_reply_get_text (reply), ==,
                   "Status of ftp.example.org\n"
                   "226 Transfer complete (an old reply, quoted)\n"
                   "550 also not the end\n"
                   "End of status");
}

static void
test_multiline_empty_lines (void)
{
  static const char data[] = "220-Banner\r\n\r\n\r\n220 Ready\r\n";
  static const char * const lines[] = { "220-Banner", "", "", "220 Ready", NULL };
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("RFC 959 §4.2: lines inside a multi-line reply may be empty");

  reply = parse_one (data, strlen (data));
  assert_lines (reply, lines);
  g_assert_cmpstr (ferry_reply_get_text (reply), ==, "Banner\n\n\nReady");
}

static void
test_multiline_bare_code_is_not_end (void)
{
  static const char data[] = "220-a\r\n220\r\n220 \r\n";
  static const char * const lines[] = { "220-a", "220", "220 ", NULL };
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("PROTOCOL.md Replies: the end line is the code followed by a space; "
                  "\"ddd\" alone is text, \"ddd \" with empty text ends the reply");

  reply = parse_one (data, strlen (data));
  assert_lines (reply, lines);
  g_assert_cmpstr (ferry_reply_get_text (reply), ==, "a\n220\n");
}

static void
test_feat (void)
{
  static const char data[] =
    "211-Features:\r\n"
    " EPRT\r\n"
    " EPSV\r\n"
    " MDTM\r\n"
    " MLST type*;size*;sizd*;modify*;UNIX.mode*;perm*;\r\n"
    " REST STREAM\r\n"
    " SIZE\r\n"
    " TVFS\r\n"
    " UTF8\r\n"
    "211 End\r\n";
  g_autoptr(FerryReply) reply = NULL;
  const char * const *lines;

  g_test_summary ("PROTOCOL.md Replies: FEAT lines are indented by one space and kept as sent");

  reply = parse_one (data, strlen (data));
  lines = ferry_reply_get_lines (reply);
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 211);
  g_assert_cmpuint (g_strv_length ((char **) lines), ==, 10);
  g_assert_cmpstr (lines[4], ==, " MLST type*;size*;sizd*;modify*;UNIX.mode*;perm*;");
  g_assert_cmpstr (lines[5], ==, " REST STREAM");
  g_assert_true (g_str_has_prefix (ferry_reply_get_text (reply), "Features:\n EPRT\n EPSV\n"));
  g_assert_true (g_str_has_suffix (ferry_reply_get_text (reply), "\n UTF8\nEnd"));
}

static void
test_lf_only (void)
{
  static const char data[] = "220-Hello\n220-LF only\n220 Ready\n";
  static const char * const lines[] = { "220-Hello", "220-LF only", "220 Ready", NULL };
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("PROTOCOL.md Replies: accept LF-only line ends too");

  reply = parse_one (data, strlen (data));
  assert_lines (reply, lines);
  g_assert_cmpstr (ferry_reply_get_text (reply), ==, "Hello\nLF only\nReady");
}

static void
test_mixed_line_ends (void)
{
  static const char data[] = "250-a\r\n250-b\n250 c\r\n";
  static const char * const lines[] = { "250-a", "250-b", "250 c", NULL };
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("PROTOCOL.md Replies: CRLF and LF line ends may be mixed in one reply");

  reply = parse_one (data, strlen (data));
  assert_lines (reply, lines);
}

static void
test_bare_cr (void)
{
  static const char data[] = "220 a\rb\r\r\n";
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("A CR that is not right before LF stays in the line (the sanitizer "
                  "handles display); only one CR before LF is a line end");

  reply = parse_one (data, strlen (data));
  g_assert_cmpstr (ferry_reply_get_first_line (reply), ==, "220 a\rb\r");
  g_assert_cmpstr (ferry_reply_get_text (reply), ==, "a\rb\r");
}

static void
test_byte_by_byte (void)
{
  static const char data[] = "226-Transfer complete\r\n226-  42 bytes\r\n226 Bye\r\n";
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) reply = NULL;
  gsize len = strlen (data);

  g_test_summary ("PROTOCOL.md Replies: bytes arrive in any split, even a CRLF split "
                  "between two reads; the reply completes only at its final LF");

  for (gsize i = 0; i < len; i++)
    {
      g_autoptr(GError) error = NULL;
      gsize consumed = 0;

      g_assert_null (reply);
      g_assert_true (ferry_reply_parser_feed (parser, data + i, 1, &consumed, &reply, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (consumed, ==, 1);

      if (i < len - 1)
        g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, i + 1);
    }

  g_assert_nonnull (reply);
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 0);
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 226);
  g_assert_cmpstr (ferry_reply_get_text (reply), ==, "Transfer complete\n  42 bytes\nBye");
}

static void
test_crlf_split (void)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_test_summary ("PROTOCOL.md Replies: a CR at the end of one read and the LF at the "
                  "start of the next make one line end");

  g_assert_true (ferry_reply_parser_feed (parser, "200 Type set to I\r", 18,
                                          &consumed, &reply, &error));
  g_assert_no_error (error);
  g_assert_null (reply);
  g_assert_cmpuint (consumed, ==, 18);
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 18);

  g_assert_true (ferry_reply_parser_feed (parser, "\n", 1, &consumed, &reply, &error));
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (consumed, ==, 1);
  g_assert_cmpstr (ferry_reply_get_first_line (reply), ==, "200 Type set to I");
}

static void
test_two_replies (void)
{
  static const char data[] = "331 Password required\r\n230 Logged in\r\n";
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) first = NULL;
  g_autoptr(FerryReply) second = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;
  gsize consumed2 = 0;

  g_test_summary ("PROTOCOL.md Replies: the parser stops right after the first reply so the "
                  "caller can feed the rest again");

  g_assert_true (ferry_reply_parser_feed (parser, data, strlen (data), &consumed, &first, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed, ==, strlen ("331 Password required\r\n"));
  g_assert_cmpuint (ferry_reply_get_code (first), ==, 331);
  g_assert_true (ferry_reply_is_positive (first));
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 0);

  g_assert_true (ferry_reply_parser_feed (parser, data + consumed, strlen (data) - consumed,
                                          &consumed2, &second, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed + consumed2, ==, strlen (data));
  g_assert_cmpuint (ferry_reply_get_code (second), ==, 230);
}

static void
test_preliminary_then_final (void)
{
  static const char data[] =
    "150-Opening BINARY mode data connection\r\n150 for big.iso (5368709120 bytes)\r\n"
    "226 Transfer complete\r\n";
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) prelim = NULL;
  g_autoptr(FerryReply) final = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;
  gsize consumed2 = 0;

  g_test_summary ("PROTOCOL.md Passive data channel: the final reply may arrive in the "
                  "same segment as the 1yz reply");

  g_assert_true (ferry_reply_parser_feed (parser, data, strlen (data), &consumed, &prelim, &error));
  g_assert_no_error (error);
  g_assert_true (ferry_reply_is_preliminary (prelim));
  g_assert_false (ferry_reply_is_positive (prelim));
  g_assert_cmpuint (ferry_reply_get_class (prelim), ==, 1);

  g_assert_true (ferry_reply_parser_feed (parser, data + consumed, strlen (data) - consumed,
                                          &consumed2, &final, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (consumed + consumed2, ==, strlen (data));
  g_assert_cmpuint (ferry_reply_get_code (final), ==, 226);
  g_assert_false (ferry_reply_is_preliminary (final));
}

static void
test_partial_then_complete (void)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_test_summary ("PROTOCOL.md Replies: an incomplete reply is kept until the rest arrives; "
                  "get_pending counts its bytes");

  g_assert_true (ferry_reply_parser_feed (parser, "213-Status\r\n213 20", 18,
                                          &consumed, &reply, &error));
  g_assert_no_error (error);
  g_assert_null (reply);
  g_assert_cmpuint (consumed, ==, 18);
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 18);

  g_assert_true (ferry_reply_parser_feed (parser, "231125123456\r\n", 14,
                                          &consumed, &reply, &error));
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpstr (ferry_reply_get_text (reply), ==, "Status\n20231125123456");
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 0);
}

static void
test_empty_feed (void)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 42;

  g_test_summary ("Feeding no bytes is harmless");

  g_assert_true (ferry_reply_parser_feed (parser, NULL, 0, &consumed, &reply, &error));
  g_assert_no_error (error);
  g_assert_null (reply);
  g_assert_cmpuint (consumed, ==, 0);
}

static void
test_nul_in_text (void)
{
  static const char data[] = "250 a\0b\0\r\n";
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("A NUL inside a line becomes a space so lines and text stay valid C strings");

  reply = parse_one (data, sizeof data - 1);
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 250);
  g_assert_cmpstr (ferry_reply_get_first_line (reply), ==, "250 a b ");
  g_assert_cmpstr (ferry_reply_get_text (reply), ==, "a b ");
}

static void
test_max_size (void)
{
  g_autoptr(GString) data = g_string_new ("220 ");
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("PROTOCOL.md Replies: a reply of exactly 64 KiB, line ends included, "
                  "is still accepted");

  while (data->len < FERRY_REPLY_MAX_SIZE - 2)
    g_string_append_c (data, 'x');
  g_string_append (data, "\r\n");
  g_assert_cmpuint (data->len, ==, FERRY_REPLY_MAX_SIZE);

  reply = parse_one (data->str, data->len);
  g_assert_cmpuint (strlen (ferry_reply_get_text (reply)), ==, FERRY_REPLY_MAX_SIZE - 6);
}

static void
test_max_size_multiline (void)
{
  g_autoptr(GString) data = g_string_new ("211-Start\r\n");
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("PROTOCOL.md Replies: the 64 KiB cap counts all lines of one reply; "
                  "exactly 64 KiB is accepted");

  while (data->len + 100 + strlen ("211 End\r\n") + 2 <= FERRY_REPLY_MAX_SIZE)
    g_string_append_printf (data, " %097d\r\n", 0);
  while (data->len + strlen ("211 End\r\n") + 2 < FERRY_REPLY_MAX_SIZE)
    g_string_append_c (data, 'y');
  g_string_append (data, "\r\n");
  g_string_append (data, "211 End\r\n");
  g_assert_cmpuint (data->len, ==, FERRY_REPLY_MAX_SIZE);

  reply = parse_one (data->str, data->len);
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 211);
}

static void
test_too_long (void)
{
  g_autoptr(GString) data = g_string_new ("220 ");

  g_test_summary ("PROTOCOL.md Replies: one byte over the 64 KiB cap is an error "
                  "(curl CVE-2018-1000300)");

  while (data->len < FERRY_REPLY_MAX_SIZE - 1)
    g_string_append_c (data, 'x');
  g_string_append (data, "\r\n");
  g_assert_cmpuint (data->len, ==, FERRY_REPLY_MAX_SIZE + 1);

  assert_feed_fails (data->str, data->len, FERRY_FTP_ERROR_REPLY_TOO_LONG);
}

static void
test_too_long_multiline (void)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) first = NULL;
  g_autoptr(GError) error = NULL;
  gsize total = 0;
  gboolean ok = TRUE;

  g_test_summary ("PROTOCOL.md Replies: a multi-line reply that never ends is refused once "
                  "it crosses 64 KiB, never buffered without bound");

  ok = ferry_reply_parser_feed (parser, "220-Welcome\r\n", 13, &total, &first, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_null (first);
  g_assert_cmpuint (total, ==, 13);

  while (ok)
    {
      static const char line[] = "220-still welcoming you\r\n";
      FerryReply *reply = NULL;
      gsize consumed = 0;

      ok = ferry_reply_parser_feed (parser, line, strlen (line), &consumed, &reply, &error);
      g_assert_null (reply);
      g_assert_cmpuint (ferry_reply_parser_get_pending (parser), <=, FERRY_REPLY_MAX_SIZE);
      if (ok)
        total += strlen (line);
      g_assert_cmpuint (total, <=, FERRY_REPLY_MAX_SIZE);
    }

  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_REPLY_TOO_LONG);
  g_assert_cmpuint (total + strlen ("220-still welcoming you\r\n"), >, FERRY_REPLY_MAX_SIZE);
}

static void
test_endless_line (void)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(GError) error = NULL;
  char chunk[1000];
  gsize total = 0;
  gboolean ok = TRUE;
  guint calls = 0;

  g_test_summary ("PROTOCOL.md Replies: an endless line without a line end is refused as "
                  "soon as it crosses the 64 KiB cap (curl CVE-2000-0973)");

  memset (chunk, 'x', sizeof chunk);
  memcpy (chunk, "220 ", 4);

  while (ok)
    {
      FerryReply *reply = NULL;
      gsize consumed = 0;

      ok = ferry_reply_parser_feed (parser, chunk, sizeof chunk, &consumed, &reply, &error);
      g_assert_null (reply);
      g_assert_cmpuint (ferry_reply_parser_get_pending (parser), <=, FERRY_REPLY_MAX_SIZE);
      if (ok)
        total += consumed;
      calls++;
    }

  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_REPLY_TOO_LONG);
  g_assert_cmpuint (total, <=, FERRY_REPLY_MAX_SIZE);
  /* The first chunk that crosses the cap fails, not a later one. */
  g_assert_cmpuint (calls, ==, FERRY_REPLY_MAX_SIZE / sizeof chunk + 1);
}

static void
test_garbage (void)
{
  static const char data[] = "HTTP/1.1 400 Bad Request\r\n";
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_test_summary ("PROTOCOL.md Replies: a first line that is not `ddd ` or `ddd-` is not FTP; "
                  "the error quotes it");

  g_assert_false (ferry_reply_parser_feed (parser, data, strlen (data), &consumed, &reply, &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  g_assert_null (reply);
  g_assert_nonnull (strstr (error->message, "HTTP/1.1 400 Bad Request"));
}

static void
test_garbage_control_chars (void)
{
  static const char data[] = "\x1b]0;pwned\x07\x1b[31mred\r\n";
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_test_summary ("STYLE.md Errors: the quoted server text has control characters stripped");

  g_assert_false (ferry_reply_parser_feed (parser, data, strlen (data), &consumed, &reply, &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_null (strchr (error->message, '\x07'));
  g_assert_nonnull (strstr (error->message, "red"));
}

static void
test_code_600 (void)
{
  static const char data[] = "600 Not a real code\r\n";

  g_test_summary ("PROTOCOL.md Replies: reply codes start with 1-5; 6yz is not a reply");

  assert_feed_fails (data, strlen (data), FERRY_FTP_ERROR_BAD_REPLY);
}

static void
test_code_099 (void)
{
  static const char data[] = "099 Not a real code\r\n";

  g_test_summary ("PROTOCOL.md Replies: reply codes start with 1-5; 0yz is not a reply");

  assert_feed_fails (data, strlen (data), FERRY_FTP_ERROR_BAD_REPLY);
}

static void
test_no_separator (void)
{
  g_test_summary ("RFC 959 §4.2: the code is followed by a space or a hyphen; \"220\" alone, "
                  "\"22 x\", \"2x0 x\" and \"220x\" are not replies");

  assert_feed_fails ("220\r\n", 5, FERRY_FTP_ERROR_BAD_REPLY);
  assert_feed_fails ("22 x\r\n", 6, FERRY_FTP_ERROR_BAD_REPLY);
  assert_feed_fails ("2x0 x\r\n", 7, FERRY_FTP_ERROR_BAD_REPLY);
  assert_feed_fails ("220x\r\n", 6, FERRY_FTP_ERROR_BAD_REPLY);
}

static void
test_empty_first_line (void)
{
  g_test_summary ("RFC 959 §4.2: an empty line where a reply should start is not FTP");

  assert_feed_fails ("\r\n220 Ready\r\n", 13, FERRY_FTP_ERROR_BAD_REPLY);
}

static void
test_error_is_sticky (void)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_test_summary ("After an error the parser fails until it is reset, then works again");

  g_assert_false (ferry_reply_parser_feed (parser, "junk\r\n", 6, &consumed, &reply, &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  g_clear_error (&error);

  g_assert_false (ferry_reply_parser_feed (parser, "220 ok\r\n", 8, &consumed, &reply, &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  g_assert_null (reply);
  g_clear_error (&error);

  ferry_reply_parser_reset (parser);
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 0);
  g_assert_true (ferry_reply_parser_feed (parser, "220 ok\r\n", 8, &consumed, &reply, &error));
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 220);
}

static void
test_reset_drops_partial (void)
{
  g_autoptr(FerryReplyParser) parser = ferry_reply_parser_new ();
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  gsize consumed = 0;

  g_test_summary ("Reset drops a partly received reply, e.g. for a new connection");

  g_assert_true (ferry_reply_parser_feed (parser, "220-half\r\n220 of a", 18,
                                          &consumed, &reply, &error));
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 18);
  ferry_reply_parser_reset (parser);
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 0);

  g_assert_true (ferry_reply_parser_feed (parser, "221 Bye\n", 8, &consumed, &reply, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 221);
  g_assert_cmpuint (g_strv_length ((char **) ferry_reply_get_lines (reply)), ==, 1);
}

static void
test_quit_multiline (void)
{
  static const char data[] =
    "221-Goodbye.\r\n"
    "221-You uploaded 0 and downloaded 5 GiB.\r\n"
    "221 Bye\r\n";
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("PROTOCOL.md Replies: any reply may be multi-line, even to QUIT");

  reply = parse_one (data, strlen (data));
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 221);
  g_assert_cmpstr (ferry_reply_get_text (reply), ==,
                   "Goodbye.\nYou uploaded 0 and downloaded 5 GiB.\nBye");
}

static void
test_new (void)
{
  static const char * const lines[] = { "250-first", "inner", "250 last", NULL };
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(FerryReply) empty = NULL;

  g_test_summary ("ferry_reply_new() strips the reply's own code from each line that "
                  "carries it and accepts NULL lines");

  reply = ferry_reply_new (250, lines);
  g_assert_cmpstr (ferry_reply_get_text (reply), ==, "first\ninner\nlast");
  g_assert_cmpstr (ferry_reply_get_first_line (reply), ==, "250-first");
  assert_lines (reply, lines);

  empty = ferry_reply_new (421, NULL);
  g_assert_cmpstr (ferry_reply_get_text (empty), ==, "");
  g_assert_cmpstr (ferry_reply_get_first_line (empty), ==, "");
  g_assert_null (ferry_reply_get_lines (empty)[0]);
  g_assert_cmpuint (ferry_reply_get_class (empty), ==, 4);
  g_assert_false (ferry_reply_is_positive (empty));
}

static void
test_classes (void)
{
  static const struct {
    guint code;
    guint klass;
    gboolean preliminary;
    gboolean positive;
  } cases[] = {
    { 100, 1, TRUE, FALSE },
    { 150, 1, TRUE, FALSE },
    { 200, 2, FALSE, TRUE },
    { 226, 2, FALSE, TRUE },
    { 331, 3, FALSE, TRUE },
    { 350, 3, FALSE, TRUE },
    { 421, 4, FALSE, FALSE },
    { 550, 5, FALSE, FALSE },
    { 599, 5, FALSE, FALSE },
  };

  g_test_summary ("PROTOCOL.md Replies: 1yz preliminary, 2yz done, 3yz needs more, "
                  "4yz transient, 5yz permanent");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *line = g_strdup_printf ("%u text", cases[i].code);
      const char *lines[] = { line, NULL };
      g_autoptr(FerryReply) reply = ferry_reply_new (cases[i].code, lines);

      g_assert_cmpuint (ferry_reply_get_code (reply), ==, cases[i].code);
      g_assert_cmpuint (ferry_reply_get_class (reply), ==, cases[i].klass);
      g_assert_cmpint (ferry_reply_is_preliminary (reply), ==, cases[i].preliminary);
      g_assert_cmpint (ferry_reply_is_positive (reply), ==, cases[i].positive);
      g_assert_cmpstr (ferry_reply_get_text (reply), ==, "text");
    }
}

static void
test_error_from_reply (void)
{
  static const char data[] = "550 No such file\x1b[2J\r\n";
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("A parsed reply maps to an error that carries its sanitized text");

  reply = parse_one (data, strlen (data));
  error = ferry_ftp_error_from_reply (reply, NULL);
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND);
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_nonnull (strstr (error->message, "No such file"));
}

static void
test_finalize (void)
{
  FerryReplyParser *parser = ferry_reply_parser_new ();
  FerryReply *reply = NULL;
  FerryReply *none = NULL;
  gsize consumed = 0;

  g_test_summary ("Replies and parsers (with a pending partial reply) are freed");

  g_assert_true (ferry_reply_parser_feed (parser, "200 ok\r\n200-more", 16,
                                          &consumed, &reply, NULL));
  g_assert_nonnull (reply);
  g_assert_cmpuint (consumed, ==, 8);
  g_assert_true (ferry_reply_parser_feed (parser, "200-more", 8, &consumed, &none, NULL));
  g_assert_null (none);
  g_assert_cmpuint (ferry_reply_parser_get_pending (parser), ==, 8);
  g_assert_finalize_object (reply);
  g_assert_finalize_object (parser);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/ftp/reply/single-line", test_single_line);
  g_test_add_func ("/ftp/reply/multiline", test_multiline);
  g_test_add_func ("/ftp/reply/multiline/other-code", test_multiline_other_code);
  g_test_add_func ("/ftp/reply/multiline/empty-lines", test_multiline_empty_lines);
  g_test_add_func ("/ftp/reply/multiline/bare-code", test_multiline_bare_code_is_not_end);
  g_test_add_func ("/ftp/reply/multiline/quit", test_quit_multiline);
  g_test_add_func ("/ftp/reply/feat", test_feat);
  g_test_add_func ("/ftp/reply/lf-only", test_lf_only);
  g_test_add_func ("/ftp/reply/mixed-line-ends", test_mixed_line_ends);
  g_test_add_func ("/ftp/reply/bare-cr", test_bare_cr);
  g_test_add_func ("/ftp/reply/byte-by-byte", test_byte_by_byte);
  g_test_add_func ("/ftp/reply/crlf-split", test_crlf_split);
  g_test_add_func ("/ftp/reply/two-replies", test_two_replies);
  g_test_add_func ("/ftp/reply/preliminary-then-final", test_preliminary_then_final);
  g_test_add_func ("/ftp/reply/partial", test_partial_then_complete);
  g_test_add_func ("/ftp/reply/empty-feed", test_empty_feed);
  g_test_add_func ("/ftp/reply/nul", test_nul_in_text);
  g_test_add_func ("/ftp/reply/max-size", test_max_size);
  g_test_add_func ("/ftp/reply/max-size-multiline", test_max_size_multiline);
  g_test_add_func ("/ftp/reply/too-long", test_too_long);
  g_test_add_func ("/ftp/reply/too-long-multiline", test_too_long_multiline);
  g_test_add_func ("/ftp/reply/endless-line", test_endless_line);
  g_test_add_func ("/ftp/reply/bad/garbage", test_garbage);
  g_test_add_func ("/ftp/reply/bad/control-chars", test_garbage_control_chars);
  g_test_add_func ("/ftp/reply/bad/code-600", test_code_600);
  g_test_add_func ("/ftp/reply/bad/code-099", test_code_099);
  g_test_add_func ("/ftp/reply/bad/no-separator", test_no_separator);
  g_test_add_func ("/ftp/reply/bad/empty-first-line", test_empty_first_line);
  g_test_add_func ("/ftp/reply/error-is-sticky", test_error_is_sticky);
  g_test_add_func ("/ftp/reply/reset", test_reset_drops_partial);
  g_test_add_func ("/ftp/reply/new", test_new);
  g_test_add_func ("/ftp/reply/classes", test_classes);
  g_test_add_func ("/ftp/reply/error-from-reply", test_error_from_reply);
  g_test_add_func ("/ftp/reply/finalize", test_finalize);

  return g_test_run ();
}
