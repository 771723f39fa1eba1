/* ferry-control.c: the FTP control connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One command is in flight at a time; later ones wait in a queue.  A reader
 * is always pending on the socket, so a 421 or a closed connection is noticed
 * even while nothing is being asked, and replies are handed to the command
 * they answer.
 */

#define G_LOG_DOMAIN "ferry-control"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

#include "ferry-control.h"
#include "ferry-data-channel.h"
#include "ferry-ftp-enums.h"
#include "ferry-ftp-error.h"
#include "ferry-listing.h"

#define DEFAULT_REPLY_TIMEOUT 30
#define DEFAULT_KEEPALIVE_INTERVAL 60
#define READ_CHUNK 8192
/* A listing bigger than this is a hostile server, not a folder. */
#define MAX_LISTING_SIZE (256 * 1024 * 1024)

typedef struct
{
  char        *line;      /* NULL: send nothing, wait for a reply (greeting) */
  char        *log_line;  /* what the log shows: PASS masked */
  FerryExpect  expect;
  guint64      seq;       /* which write sent it; 0: nothing sent */
  GTask       *task;
} Op;

struct _FerryControl
{
  GObject             parent_instance;

  /* Owned */
  GSocketConnection  *connection;
  GCancellable       *io_cancellable;
  FerryReplyParser   *parser;
  char               *read_buf;
  GQueue              ops;
  Op                 *current;        /* sent, waiting for its reply */
  Op                 *final_op;       /* read_final waiting */
  FerryReply         *final_reply;    /* final reply that came before read_final */
  char               *host;
  char               *user;
  GInetAddress       *peer_address;
  char               *hash_algorithms;
  char               *log_id;
  char               *in_flight;      /* the command whose 1yz was handed out */

  guint64             n_sent;
  guint16             port;
  FerryFeatures       features;
  guint               reply_timeout;
  guint               keepalive_interval;
  guint               timeout_id;
  guint               keepalive_id;
  guint               connected : 1;
  guint               preliminary_lock : 1;  /* a 1yz was handed out */
  guint               hold : 1;              /* FERRY_EXPECT_HOLD in force */
  guint               writing : 1;
};

G_DEFINE_FINAL_TYPE (FerryControl, ferry_control, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  PROP_CONNECTED,
  PROP_FEATURES,
  PROP_REPLY_TIMEOUT,
  PROP_KEEPALIVE_INTERVAL,
  N_PROPS
};

enum {
  LOG_LINE,
  CLOSED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void ferry_control_run_next (FerryControl *self);
static void ferry_control_start_read (FerryControl *self);
static void ferry_control_lost (FerryControl *self, GError *error);

static void
op_free (Op *op)
{
  g_free (op->line);
  g_free (op->log_line);
  g_clear_object (&op->task);
  g_free (op);
}

static void
ferry_control_log (FerryControl *self,
                   FerryLogKind  kind,
                   const char   *text)
{
  g_debug ("[%s] %s %s", self->log_id ? self->log_id : "-",
           kind == FERRY_LOG_SENT ? ">" : kind == FERRY_LOG_RECEIVED ? "<" : "*",
           text);
  g_signal_emit (self, signals [LOG_LINE], 0, kind, text);
}

static void
ferry_control_logf (FerryControl *self,
                    FerryLogKind  kind,
                    const char   *format,
                    ...) G_GNUC_PRINTF (3, 4);

static void
ferry_control_logf (FerryControl *self,
                    FerryLogKind  kind,
                    const char   *format,
                    ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  ferry_control_log (self, kind, text);
}

static void
op_return_error (Op     *op,
                 GError *error)
{
  if (op->task != NULL)
    g_task_return_error (op->task, error);
  else
    g_error_free (error);
  op_free (op);
}

static void
op_return_reply (FerryControl *self,
                 Op           *op,
                 FerryReply   *reply)
{
  guint klass = ferry_reply_get_class (reply);
  FerryExpect wanted = 1 << (klass - 1);
  GCancellable *cancellable = op->task ? g_task_get_cancellable (op->task) : NULL;
  GError *error = NULL;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      op_return_error (op, error);
      return;
    }

  if ((op->expect & wanted) == 0)
    {
      g_autofree char *what = NULL;

      if (op->line != NULL)
        {
          g_autofree char *verb = g_strdup (op->log_line);
          char *space = strchr (verb, ' ');

          if (space != NULL)
            *space = '\0';
          /* Translators: %s is an FTP command such as RETR */
          what = g_strdup_printf (_("The server refused %s"), verb);
        }
      else if (op->log_line != NULL)
        /* Translators: %s is an FTP command with its argument, "RETR /a.iso" */
        what = g_strdup_printf (_("%s did not complete"), op->log_line);
      else
        what = g_strdup (_("The server refused the connection"));

      op_return_error (op, ferry_ftp_error_from_reply (reply, what));
      return;
    }

  if (op->task != NULL)
    g_task_return_pointer (op->task, g_object_ref (reply), g_object_unref);
  op_free (op);
}

static GError *
closed_error (void)
{
  return g_error_new_literal (FERRY_FTP_ERROR, FERRY_FTP_ERROR_CLOSED,
                              _("The server closed the connection"));
}

static void
ferry_control_fail_all (FerryControl *self,
                        const GError *error)
{
  Op *op;

  if (self->current != NULL)
    op_return_error (g_steal_pointer (&self->current), g_error_copy (error));
  if (self->final_op != NULL)
    op_return_error (g_steal_pointer (&self->final_op), g_error_copy (error));
  while ((op = g_queue_pop_head (&self->ops)) != NULL)
    op_return_error (op, g_error_copy (error));
}

static void
ferry_control_disconnect (FerryControl *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);

  if (self->io_cancellable != NULL)
    g_cancellable_cancel (self->io_cancellable);
  g_clear_object (&self->io_cancellable);

  if (self->connection != NULL)
    {
      /* Closing a socket does not block; the data is ours to drop. */
      g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
      g_clear_object (&self->connection);
    }

  g_clear_object (&self->final_reply);
  self->preliminary_lock = FALSE;
  self->hold = FALSE;
  self->writing = FALSE;

  if (self->connected)
    {
      self->connected = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONNECTED]);
    }
}

/* The connection is gone (EOF, reset, 421, timeout, protocol error): every
 * command waiting on it fails with @error. */
static void
ferry_control_lost (FerryControl *self,
                    GError       *error)
{
  g_autoptr(GError) owned = error;
  gboolean was_connected = self->connection != NULL;

  if (!was_connected && self->current == NULL && self->final_op == NULL &&
      g_queue_is_empty (&self->ops))
    return;

  g_object_ref (self);

  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    ferry_control_log (self, FERRY_LOG_ERROR, error->message);

  ferry_control_disconnect (self);
  ferry_control_fail_all (self, error);

  if (was_connected)
    g_signal_emit (self, signals [CLOSED], 0, error);

  g_object_unref (self);
}

static gboolean
reply_timeout_cb (gpointer user_data)
{
  FerryControl *self = user_data;

  self->timeout_id = 0;
  ferry_control_lost (self,
                      g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                   g_dngettext (GETTEXT_PACKAGE,
                                                "The server did not answer within %u second",
                                                "The server did not answer within %u seconds",
                                                self->reply_timeout),
                                   self->reply_timeout));
  return G_SOURCE_REMOVE;
}

static void
ferry_control_arm_timeout (FerryControl *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->reply_timeout > 0 && self->current != NULL)
    self->timeout_id = g_timeout_add_seconds (self->reply_timeout, reply_timeout_cb, self);
}

static void
keepalive_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* A NOOP that fails has already closed the connection and said why. */
  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
}

static gboolean
keepalive_timeout_cb (gpointer user_data)
{
  FerryControl *self = user_data;

  self->keepalive_id = 0;
  /* Routers and firewalls drop control connections that idle for minutes,
   * which the user only learns of at the next click; a NOOP keeps it alive
   * and notices a dead connection early. */
  ferry_control_send_async (self, "NOOP", FERRY_EXPECT_ANY, NULL, keepalive_cb, NULL);
  return G_SOURCE_REMOVE;
}

static void
ferry_control_arm_keepalive (FerryControl *self)
{
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  if (self->connected && self->keepalive_interval > 0 && self->current == NULL &&
      !self->preliminary_lock && !self->hold && g_queue_is_empty (&self->ops))
    self->keepalive_id = g_timeout_add_seconds (self->keepalive_interval,
                                                keepalive_timeout_cb, self);
}

static void
ferry_control_dispatch (FerryControl *self,
                        FerryReply   *reply,
                        guint64       sent_before)
{
  const char * const *lines = ferry_reply_get_lines (reply);
  guint code = ferry_reply_get_code (reply);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *clean = ferry_ftp_sanitize_text (lines[i], -1);
      ferry_control_log (self, FERRY_LOG_RECEIVED, clean);
    }

  /* RFC 959: 421 may come at any time, as the answer to anything; the
   * server is closing the connection. */
  if (code == 421)
    {
      ferry_control_lost (self,
                          ferry_ftp_error_from_reply (reply,
                                                      _("The server is closing the connection")));
      return;
    }

  /* Bytes that were read before a command was written cannot answer it:
   * a server talking out of turn must not hand its stray reply to the
   * next command (which would read, say, a wrong SIZE). */
  if (self->current != NULL && self->current->seq > sent_before)
    {
      ferry_control_log (self, FERRY_LOG_INFO, _("Ignored an unexpected reply"));
      return;
    }

  if (self->current != NULL)
    {
      Op *op = self->current;

      if (ferry_reply_is_preliminary (reply))
        {
          if ((op->expect & FERRY_EXPECT_1YZ) == 0)
            {
              /* Not asked for: the final reply is still to come. */
              ferry_control_arm_timeout (self);
              return;
            }

          self->current = NULL;
          self->preliminary_lock = TRUE;
          g_free (self->in_flight);
          self->in_flight = g_strdup (op->log_line);
          g_clear_handle_id (&self->timeout_id, g_source_remove);
          op_return_reply (self, op, reply);
          return;
        }

      self->current = NULL;
      g_clear_handle_id (&self->timeout_id, g_source_remove);
      self->hold = (op->expect & FERRY_EXPECT_HOLD) != 0 && ferry_reply_is_positive (reply);
      op_return_reply (self, op, reply);
      ferry_control_run_next (self);
      return;
    }

  if (self->preliminary_lock)
    {
      if (ferry_reply_is_preliminary (reply))
        return;

      if (self->final_op != NULL)
        {
          Op *op = g_steal_pointer (&self->final_op);

          self->preliminary_lock = FALSE;
          self->hold = FALSE;
          op_return_reply (self, op, reply);
          ferry_control_run_next (self);
        }
      else
        g_set_object (&self->final_reply, reply);
      return;
    }

  /* A reply nobody waits for: a late answer after a timeout, or a server
   * talking out of turn.  It is in the log; nothing else to do. */
  ferry_control_log (self, FERRY_LOG_INFO, _("Ignored an unexpected reply"));
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FerryControl) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 sent_before = self->n_sent;
  gssize n_read;
  gsize offset = 0;

  n_read = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);

  if (n_read < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ferry_control_lost (self, g_steal_pointer (&error));
      return;
    }

  if (n_read == 0)
    {
      ferry_control_lost (self, closed_error ());
      return;
    }

  while (offset < (gsize) n_read && self->connection != NULL)
    {
      g_autoptr(FerryReply) reply = NULL;
      gsize consumed = 0;

      if (!ferry_reply_parser_feed (self->parser, self->read_buf + offset, n_read - offset,
                                    &consumed, &reply, &error))
        {
          ferry_control_lost (self, g_steal_pointer (&error));
          return;
        }

      offset += consumed;
      if (reply != NULL)
        ferry_control_dispatch (self, reply, sent_before);
    }

  if (self->connection != NULL)
    ferry_control_start_read (self);
}

static void
ferry_control_start_read (FerryControl *self)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (self->connection));

  g_input_stream_read_async (input, self->read_buf, READ_CHUNK, G_PRIORITY_DEFAULT,
                             self->io_cancellable, read_cb, g_object_ref (self));
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FerryControl) self = user_data;
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ferry_control_lost (self, g_steal_pointer (&error));
      return;
    }

  ferry_control_run_next (self);
}

static void
ferry_control_run_next (FerryControl *self)
{
  GOutputStream *output;
  GList *link;
  Op *op = NULL;

  /* The reply to a command can come before GIO reports its write done;
   * the next command waits for that report (one write at a time). */
  if (self->current != NULL || self->preliminary_lock || self->writing)
    return;

  for (link = self->ops.head; link != NULL; link = link->next)
    {
      Op *candidate = link->data;

      if (!self->hold || (candidate->expect & FERRY_EXPECT_CHAINED) != 0)
        {
          op = candidate;
          g_queue_delete_link (&self->ops, link);
          break;
        }
    }

  if (op == NULL)
    {
      ferry_control_arm_keepalive (self);
      return;
    }

  g_clear_handle_id (&self->keepalive_id, g_source_remove);

  if (op->task != NULL && g_task_return_error_if_cancelled (op->task))
    {
      op_free (op);
      ferry_control_run_next (self);
      return;
    }

  if (self->connection == NULL)
    {
      op_return_error (op, g_error_new_literal (FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_CONNECTED,
                                                _("Not connected to a server")));
      ferry_control_run_next (self);
      return;
    }

  /* A chained command ends the hold unless it asks to keep it. */
  if ((op->expect & FERRY_EXPECT_CHAINED) != 0)
    self->hold = FALSE;

  self->current = op;
  ferry_control_arm_timeout (self);

  if (op->line == NULL)
    return;

  op->seq = ++self->n_sent;
  ferry_control_log (self, FERRY_LOG_SENT, op->log_line);
  output = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  self->writing = TRUE;
  g_output_stream_write_all_async (output, op->line, strlen (op->line), G_PRIORITY_DEFAULT,
                                   self->io_cancellable, write_cb, g_object_ref (self));
}

static void
ferry_control_queue (FerryControl *self,
                     const char   *command,
                     FerryExpect   expect,
                     GTask        *task)
{
  Op *op = g_new0 (Op, 1);

  op->expect = expect;
  op->task = task;
  if (command != NULL)
    {
      op->line = g_strconcat (command, "\r\n", NULL);
      if (g_ascii_strncasecmp (command, "PASS ", 5) == 0)
        op->log_line = g_strdup ("PASS ****");
      else
        op->log_line = g_strdup (command);
    }

  /* Chained commands go before anything else waiting. */
  if ((expect & FERRY_EXPECT_CHAINED) != 0)
    g_queue_push_head (&self->ops, op);
  else
    g_queue_push_tail (&self->ops, op);

  ferry_control_run_next (self);
}

static void
ferry_control_dispose (GObject *object)
{
  FerryControl *self = (FerryControl *)object;

  if (self->connection != NULL || !g_queue_is_empty (&self->ops))
    {
      g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                     _("The connection was closed"));
      ferry_control_disconnect (self);
      ferry_control_fail_all (self, error);
    }

  G_OBJECT_CLASS (ferry_control_parent_class)->dispose (object);
}

static void
ferry_control_finalize (GObject *object)
{
  FerryControl *self = (FerryControl *)object;

  g_clear_object (&self->parser);
  g_clear_object (&self->peer_address);
  g_clear_object (&self->final_reply);
  g_clear_pointer (&self->read_buf, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->hash_algorithms, g_free);
  g_clear_pointer (&self->log_id, g_free);
  g_clear_pointer (&self->in_flight, g_free);

  G_OBJECT_CLASS (ferry_control_parent_class)->finalize (object);
}

static void
ferry_control_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FerryControl *self = FERRY_CONTROL (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_FEATURES:
      g_value_set_flags (value, self->features);
      break;
    case PROP_REPLY_TIMEOUT:
      g_value_set_uint (value, self->reply_timeout);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_control_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FerryControl *self = FERRY_CONTROL (object);

  switch (prop_id)
    {
    case PROP_REPLY_TIMEOUT:
      ferry_control_set_reply_timeout (self, g_value_get_uint (value));
      break;
    case PROP_KEEPALIVE_INTERVAL:
      ferry_control_set_keepalive_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_control_class_init (FerryControlClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_control_dispose;
  object_class->finalize = ferry_control_finalize;
  object_class->get_property = ferry_control_get_property;
  object_class->set_property = ferry_control_set_property;

  properties [PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties [PROP_FEATURES] =
    g_param_spec_flags ("features", NULL, NULL, FERRY_TYPE_FEATURES, FERRY_FEATURE_NONE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties [PROP_REPLY_TIMEOUT] =
    g_param_spec_uint ("reply-timeout", NULL, NULL, 0, 3600, DEFAULT_REPLY_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties [PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, 3600, DEFAULT_KEEPALIVE_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryControl::log-line:
   * @kind: a #FerryLogKind
   * @text: the line, with PASS masked and control characters removed
   *
   * One line of the dialogue, for the protocol log.
   */
  signals [LOG_LINE] =
    g_signal_new ("log-line",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, FERRY_TYPE_LOG_KIND, G_TYPE_STRING);

  /**
   * FerryControl::closed:
   * @error: why
   *
   * The connection was lost or closed by the server.
   */
  signals [CLOSED] =
    g_signal_new ("closed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
ferry_control_init (FerryControl *self)
{
  g_queue_init (&self->ops);
  self->reply_timeout = DEFAULT_REPLY_TIMEOUT;
  self->keepalive_interval = DEFAULT_KEEPALIVE_INTERVAL;
  self->read_buf = g_malloc (READ_CHUNK);
}

/**
 * ferry_control_new:
 *
 * Returns: (transfer full): a control connection, not yet connected
 */
FerryControl *
ferry_control_new (void)
{
  return g_object_new (FERRY_TYPE_CONTROL, NULL);
}

/**
 * ferry_control_get_host:
 *
 * Returns: (nullable): the host name given to connect
 */
const char *
ferry_control_get_host (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), NULL);
  return self->host;
}

/**
 * ferry_control_get_port:
 *
 * Returns: the TCP port of the control connection
 */
guint16
ferry_control_get_port (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), 0);
  return self->port;
}

/**
 * ferry_control_get_user:
 *
 * Returns: (nullable): the user logged in as
 */
const char *
ferry_control_get_user (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), NULL);
  return self->user;
}

/**
 * ferry_control_get_connected:
 *
 * Returns: whether the connection is up and logged in
 */
gboolean
ferry_control_get_connected (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), FALSE);
  return self->connected;
}

/**
 * ferry_control_get_features:
 *
 * Returns: what FEAT offered, and what was learned since
 */
FerryFeatures
ferry_control_get_features (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), 0);
  return self->features;
}

/**
 * ferry_control_add_features:
 * @features: flags to add, such as %FERRY_FEATURE_BROKEN_EPSV
 *
 * Records a workaround learned at run time.
 */
void
ferry_control_add_features (FerryControl  *self,
                            FerryFeatures  features)
{
  g_return_if_fail (FERRY_IS_CONTROL (self));

  if ((self->features | features) == self->features)
    return;

  self->features |= features;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FEATURES]);
}

/**
 * ferry_control_get_peer_address:
 *
 * The address the control connection reached.  Data connections go here,
 * never to an address a 227 reply names (curl CVE-2020-8284).
 *
 * Returns: (transfer none) (nullable): the peer address
 */
GInetAddress *
ferry_control_get_peer_address (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), NULL);
  return self->peer_address;
}

/**
 * ferry_control_get_hash_algorithms:
 *
 * Returns: (nullable): the algorithms the FEAT line "HASH" listed
 */
const char *
ferry_control_get_hash_algorithms (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), NULL);
  return self->hash_algorithms;
}

/**
 * ferry_control_get_reply_timeout:
 *
 * Returns: seconds to wait for a reply before the connection counts as lost
 */
guint
ferry_control_get_reply_timeout (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), 0);
  return self->reply_timeout;
}

/**
 * ferry_control_set_reply_timeout:
 * @seconds: 0 to wait forever
 *
 * Sets how long a command may wait for its reply.
 */
void
ferry_control_set_reply_timeout (FerryControl *self,
                                 guint         seconds)
{
  g_return_if_fail (FERRY_IS_CONTROL (self));

  if (self->reply_timeout == seconds)
    return;

  self->reply_timeout = seconds;
  if (self->timeout_id != 0)
    ferry_control_arm_timeout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_REPLY_TIMEOUT]);
}

/**
 * ferry_control_get_keepalive_interval:
 *
 * Returns: seconds of idleness before a NOOP is sent (0: never)
 */
guint
ferry_control_get_keepalive_interval (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), 0);
  return self->keepalive_interval;
}

/**
 * ferry_control_set_keepalive_interval:
 * @seconds: 0 turns the keep-alive off
 *
 * Sets how long the connection may idle before a NOOP.
 */
void
ferry_control_set_keepalive_interval (FerryControl *self,
                                      guint         seconds)
{
  g_return_if_fail (FERRY_IS_CONTROL (self));

  if (self->keepalive_interval == seconds)
    return;

  self->keepalive_interval = seconds;
  if (self->keepalive_id != 0 || seconds > 0)
    ferry_control_arm_keepalive (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_KEEPALIVE_INTERVAL]);
}

/**
 * ferry_control_get_log_id:
 *
 * Returns: (nullable): the name this connection has in debug output
 */
const char *
ferry_control_get_log_id (FerryControl *self)
{
  g_return_val_if_fail (FERRY_IS_CONTROL (self), NULL);
  return self->log_id;
}

/**
 * ferry_control_set_log_id:
 * @log_id: (nullable): a short name, such as "browse" or "transfer 3"
 *
 * Names the connection in debug output.
 */
void
ferry_control_set_log_id (FerryControl *self,
                          const char   *log_id)
{
  g_return_if_fail (FERRY_IS_CONTROL (self));
  g_free (self->log_id);
  self->log_id = g_strdup (log_id);
}

/**
 * ferry_control_build_command:
 * @verb: an FTP verb such as "RETR"
 * @argument: (nullable): its argument, such as a path
 * @error: return location for an error
 *
 * Joins a verb and its argument, refusing arguments that would smuggle in a
 * second command (CR or LF, curl tests 225/226) or cut the line (NUL cannot
 * be in a C string, so it never arrives here).
 *
 * Returns: (transfer full) (nullable): the command line without CRLF
 */
char *
ferry_control_build_command (const char  *verb,
                             const char  *argument,
                             GError     **error)
{
  g_return_val_if_fail (verb != NULL, NULL);

  if (strpbrk (verb, "\r\n") != NULL ||
      (argument != NULL && strpbrk (argument, "\r\n") != NULL))
    {
      g_set_error_literal (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_COMMAND,
                           _("Refusing to send a command that contains a line break"));
      return NULL;
    }

  if (argument == NULL || *argument == '\0')
    return g_strdup (verb);

  return g_strconcat (verb, " ", argument, NULL);
}

/**
 * ferry_control_send_async:
 * @command: a whole command line without CRLF
 * @expect: the reply classes that are not an error, and HOLD/CHAINED
 * @cancellable: (nullable): a #GCancellable
 *
 * Queues @command and hands back its reply.  A command containing CR or LF
 * is refused before anything is sent.
 */
void
ferry_control_send_async (FerryControl        *self,
                          const char          *command,
                          FerryExpect          expect,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_CONTROL (self));
  g_return_if_fail (command != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_control_send_async);

  /* A CR or LF inside a file name would smuggle in a second command. */
  if (strpbrk (command, "\r\n") != NULL)
    {
      g_task_return_new_error (task, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_COMMAND,
                               _("Refusing to send a command that contains a line break"));
      return;
    }

  if (self->connection == NULL)
    {
      g_task_return_new_error (task, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_CONNECTED,
                               _("Not connected to a server"));
      return;
    }

  ferry_control_queue (self, command, expect, g_steal_pointer (&task));
}

/**
 * ferry_control_send_finish:
 *
 * Returns: (transfer full): the reply, or %NULL with @error set
 */
FerryReply *
ferry_control_send_finish (FerryControl  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_control_command_async:
 * @verb: an FTP verb
 * @argument: (nullable): its argument
 * @expect: as for ferry_control_send_async()
 * @cancellable: (nullable): a #GCancellable
 *
 * Like ferry_control_send_async() with the line built by
 * ferry_control_build_command().
 */
void
ferry_control_command_async (FerryControl        *self,
                             const char          *verb,
                             const char          *argument,
                             FerryExpect          expect,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FERRY_IS_CONTROL (self));

  line = ferry_control_build_command (verb, argument, &error);
  if (line == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
      g_task_set_source_tag (task, ferry_control_send_async);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ferry_control_send_async (self, line, expect, cancellable, callback, user_data);
}

/**
 * ferry_control_command_finish:
 *
 * Returns: (transfer full): the reply, or %NULL with @error set
 */
FerryReply *
ferry_control_command_finish (FerryControl  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  return ferry_control_send_finish (self, result, error);
}

/**
 * ferry_control_read_final_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * After a command sent with %FERRY_EXPECT_1YZ got its preliminary reply,
 * waits for the final one (226 after a transfer, or 426, 451 …).  A reply
 * other than 2yz is an error.  There is no reply timeout here: the transfer
 * may take hours, and the caller knows when data stopped moving.
 */
void
ferry_control_read_final_async (FerryControl        *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Op *op;

  g_return_if_fail (FERRY_IS_CONTROL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_control_read_final_async);

  if (!self->preliminary_lock || self->final_op != NULL)
    {
      g_task_return_new_error (task, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_CONNECTED,
                               _("No transfer is waiting for its final reply"));
      return;
    }

  op = g_new0 (Op, 1);
  op->expect = FERRY_EXPECT_2YZ;
  op->log_line = g_strdup (self->in_flight);
  op->task = g_steal_pointer (&task);

  if (self->final_reply != NULL)
    {
      g_autoptr(FerryReply) reply = g_steal_pointer (&self->final_reply);

      self->preliminary_lock = FALSE;
      self->hold = FALSE;
      op_return_reply (self, op, reply);
      ferry_control_run_next (self);
      return;
    }

  self->final_op = op;
}

/**
 * ferry_control_read_final_finish:
 *
 * Returns: (transfer full): the final 2yz reply, or %NULL with @error set
 */
FerryReply *
ferry_control_read_final_finish (FerryControl  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_control_release:
 *
 * Ends a %FERRY_EXPECT_HOLD when the chained command will not be sent after
 * all (the data connection failed, say).
 */
void
ferry_control_release (FerryControl *self)
{
  g_return_if_fail (FERRY_IS_CONTROL (self));

  if (!self->hold)
    return;

  self->hold = FALSE;
  ferry_control_run_next (self);
}

/**
 * ferry_control_abort:
 * @reason: (nullable): why, for the commands still waiting
 *
 * Drops the connection at once, without QUIT: what a cancelled transfer
 * does, since only closing stops a server in the middle of RETR.
 */
void
ferry_control_abort (FerryControl *self,
                     const GError *reason)
{
  g_return_if_fail (FERRY_IS_CONTROL (self));

  if (reason != NULL)
    ferry_control_lost (self, g_error_copy (reason));
  else
    ferry_control_lost (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   _("The connection was closed")));
}

/* --- connect and log in ------------------------------------------------- */

typedef struct
{
  char *user;
  char *password;
  char *what;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_free (data->user);
  if (data->password != NULL)
    memset (data->password, 0, strlen (data->password));
  g_free (data->password);
  g_free (data->what);
  g_free (data);
}

static void
connect_fail (GTask  *task,
              GError *error)
{
  FerryControl *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);

  ferry_control_disconnect (self);

  if (error->domain == FERRY_FTP_ERROR || error->domain == G_IO_ERROR ||
      error->domain == G_RESOLVER_ERROR)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_str_has_prefix (error->message, data->what))
        g_prefix_error (&error, "%s: ", data->what);
    }

  g_task_return_error (task, error);
}

static void
parse_features (FerryControl *self,
                FerryReply   *reply)
{
  const char * const *lines = ferry_reply_get_lines (reply);
  FerryFeatures features = FERRY_FEATURE_NONE;

  if (ferry_reply_get_code (reply) != 211)
    return;

  /* RFC 2389: one feature per line, indented by a space; names are case
   * insensitive.  Some servers indent more, so strip all leading space. */
  for (guint i = 1; lines[i] != NULL && lines[i + 1] != NULL; i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (lines[i]));
      g_auto(GStrv) words = g_strsplit (line, " ", 2);
      const char *name = words[0];

      if (name == NULL)
        continue;

      if (g_ascii_strcasecmp (name, "UTF8") == 0)
        features |= FERRY_FEATURE_UTF8;
      else if (g_ascii_strcasecmp (name, "EPSV") == 0)
        features |= FERRY_FEATURE_EPSV;
      else if (g_ascii_strcasecmp (name, "MLST") == 0 || g_ascii_strcasecmp (name, "MLSD") == 0)
        features |= FERRY_FEATURE_MLSD;
      else if (g_ascii_strcasecmp (name, "SIZE") == 0)
        features |= FERRY_FEATURE_SIZE;
      else if (g_ascii_strcasecmp (name, "MDTM") == 0)
        features |= FERRY_FEATURE_MDTM;
      else if (g_ascii_strcasecmp (name, "REST") == 0 && words[1] != NULL &&
               g_ascii_strncasecmp (g_strstrip (words[1]), "STREAM", 6) == 0)
        features |= FERRY_FEATURE_REST_STREAM;
      else if (g_ascii_strcasecmp (name, "HASH") == 0)
        {
          features |= FERRY_FEATURE_HASH;
          g_free (self->hash_algorithms);
          self->hash_algorithms = g_strdup (words[1] != NULL ? g_strstrip (words[1]) : "");
        }
      else if (g_ascii_strcasecmp (name, "XSHA256") == 0)
        features |= FERRY_FEATURE_XSHA256;
      else if (g_ascii_strcasecmp (name, "XSHA1") == 0 || g_ascii_strcasecmp (name, "XSHA") == 0)
        features |= FERRY_FEATURE_XSHA1;
      else if (g_ascii_strcasecmp (name, "XMD5") == 0)
        features |= FERRY_FEATURE_XMD5;
      else if (g_ascii_strcasecmp (name, "XCRC") == 0)
        features |= FERRY_FEATURE_XCRC;
    }

  ferry_control_add_features (self, features);
}

static void
connect_done (GTask *task)
{
  FerryControl *self = g_task_get_source_object (task);

  self->connected = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONNECTED]);
  ferry_control_arm_keepalive (self);
  g_task_return_boolean (task, TRUE);
}

static void
connect_type_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  connect_done (task);
}

static void
connect_send_type (GTask *task)
{
  FerryControl *self = g_task_get_source_object (task);

  /* RFC 3659 §4: SIZE and REST count bytes in the current TYPE; Ferry only
   * moves bytes as they are, so image type from the start. */
  ferry_control_send_async (self, "TYPE I", FERRY_EXPECT_2YZ,
                            g_task_get_cancellable (task),
                            connect_type_cb, task);
}

static void
connect_opts_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* A server that lists UTF8 but refuses OPTS still works: ignore 5yz. */
  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  connect_send_type (g_steal_pointer (&task));
}

static void
connect_feat_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FerryControl *self = FERRY_CONTROL (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (self, result, &error);
  if (reply == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  parse_features (self, reply);

  if (self->features & FERRY_FEATURE_UTF8)
    ferry_control_send_async (self, "OPTS UTF8 ON", FERRY_EXPECT_ANY,
                              g_task_get_cancellable (task),
                              connect_opts_cb, g_object_ref (task));
  else
    connect_send_type (g_steal_pointer (&task));
}

static void
connect_send_feat (GTask *task)
{
  FerryControl *self = g_task_get_source_object (task);

  ferry_control_send_async (self, "FEAT", FERRY_EXPECT_ANY,
                            g_task_get_cancellable (task),
                            connect_feat_cb, task);
}

static void
connect_pass_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  if (ferry_reply_get_class (reply) != 2)
    {
      /* 530, or 332 (an ACCT is wanted: Ferry has no account field).
       * connect_fail() prefixes "cannot log in to host:port". */
      connect_fail (task, ferry_ftp_error_from_reply (reply, NULL));
      return;
    }

  connect_send_feat (g_steal_pointer (&task));
}

static void
connect_user_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FerryControl *self = FERRY_CONTROL (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  ConnectData *data = g_task_get_task_data (task);

  reply = ferry_control_send_finish (self, result, &error);
  if (reply == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  if (ferry_reply_get_class (reply) >= 4)
    {
      connect_fail (task, ferry_ftp_error_from_reply (reply, NULL));
      return;
    }

  if (ferry_reply_get_class (reply) == 2)
    {
      /* Logged in without a password (vsftpd's no_anon_password). */
      ferry_control_release (self);
      connect_send_feat (g_steal_pointer (&task));
      return;
    }

  line = ferry_control_build_command ("PASS", data->password ? data->password : "", &error);
  if (line == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  ferry_control_send_async (self, line, FERRY_EXPECT_ANY | FERRY_EXPECT_CHAINED,
                            g_task_get_cancellable (task),
                            connect_pass_cb, g_object_ref (task));
}

static void
connect_greeting_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FerryControl *self = FERRY_CONTROL (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  ConnectData *data = g_task_get_task_data (task);

  reply = ferry_control_send_finish (self, result, &error);
  if (reply == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  line = ferry_control_build_command ("USER", data->user, &error);
  if (line == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  ferry_control_send_async (self, line,
                            FERRY_EXPECT_ANY | FERRY_EXPECT_HOLD,
                            g_task_get_cancellable (task),
                            connect_user_cb, g_object_ref (task));
}

static void
connect_socket_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GError) error = NULL;
  FerryControl *self = g_task_get_source_object (task);
  GSocket *socket;
  Op *op;

  connection = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  socket = g_socket_connection_get_socket (connection);
  /* The client's timeout was for connecting; on the socket it would fail
   * the ever-pending read of an idle connection.  Replies have their own
   * timer. */
  g_socket_set_timeout (socket, 0);
  /* The control connection idles for the whole of a long transfer; NAT
   * routers forget idle connections, TCP keepalive keeps them known. */
  g_socket_set_keepalive (socket, TRUE);
  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  remote = g_socket_connection_get_remote_address (connection, &error);
  if (remote == NULL)
    {
      connect_fail (task, g_steal_pointer (&error));
      return;
    }

  /* Pin the address: reconnects and data connections go to the same machine,
   * not to whatever the name resolves to next (gvfs does the same). */
  g_set_object (&self->peer_address,
                g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));

  self->connection = g_steal_pointer (&connection);
  self->io_cancellable = g_cancellable_new ();
  g_clear_object (&self->parser);
  self->parser = ferry_reply_parser_new ();

  {
    g_autofree char *address = g_inet_address_to_string (self->peer_address);
    ferry_control_logf (self, FERRY_LOG_INFO, _("Connected to %s port %u"), address, self->port);
  }

  ferry_control_start_read (self);

  /* The greeting: a command with no line, waiting for 220 (RFC 959 says a
   * 120 may come first). */
  op = g_new0 (Op, 1);
  op->expect = FERRY_EXPECT_2YZ;
  op->task = g_task_new (self, g_task_get_cancellable (task), connect_greeting_cb,
                         g_object_ref (task));
  g_queue_push_tail (&self->ops, op);
  ferry_control_run_next (self);
}

/**
 * ferry_control_connect_async:
 * @host: a host name, IPv4 or IPv6 address
 * @port: TCP port, 0 for 21
 * @user: (nullable): user name, %NULL for anonymous
 * @password: (nullable): the password; never logged
 * @cancellable: (nullable): a #GCancellable
 *
 * Connects, reads the greeting, logs in, asks FEAT, turns on UTF-8 when
 * offered and switches to binary type.
 */
void
ferry_control_connect_async (FerryControl        *self,
                             const char          *host,
                             guint16              port,
                             const char          *user,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  ConnectData *data;

  g_return_if_fail (FERRY_IS_CONTROL (self));
  g_return_if_fail (host != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_control_connect_async);

  if (port == 0)
    port = 21;

  data = g_new0 (ConnectData, 1);
  data->user = g_strdup (user != NULL && *user != '\0' ? user : "anonymous");
  /* The customary anonymous password; servers only check it looks like mail. */
  data->password = g_strdup (password != NULL ? password :
                             (user == NULL || *user == '\0' ||
                              g_str_equal (data->user, "anonymous")) ? "ferry@" : "");
  /* Translators: "cannot log in to ftp.example.org:21" */
  data->what = g_strdup_printf (strchr (host, ':') != NULL ? _("cannot log in to [%s]:%u") :
                                _("cannot log in to %s:%u"), host, port);
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);

  if (self->connection != NULL)
    {
      g_task_return_new_error (task, FERRY_FTP_ERROR, FERRY_FTP_ERROR_FAILED,
                               _("Already connected"));
      return;
    }

  g_free (self->host);
  self->host = g_strdup (host);
  g_free (self->user);
  self->user = g_strdup (data->user);
  self->port = port;
  self->features = FERRY_FEATURE_NONE;
  g_clear_pointer (&self->hash_algorithms, g_free);

  client = g_socket_client_new ();
  g_socket_client_set_timeout (client, self->reply_timeout);
  /* Data connections must reach the very peer the control connection did,
   * which an HTTP or SOCKS proxy in between would hide. */
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_to_host_async (client, host, port, cancellable,
                                         connect_socket_cb, g_steal_pointer (&task));
}

/**
 * ferry_control_connect_finish:
 *
 * Returns: %TRUE when logged in
 */
gboolean
ferry_control_connect_finish (FerryControl  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- reply parsers ------------------------------------------------------ */

/**
 * ferry_parse_size_reply:
 * @text: the text of a 213 reply to SIZE
 *
 * Parses strictly: digits only (spaces around allowed), fitting 63 bits.
 * "213 about 12 bytes" or an overflowing number mean "size unknown".
 *
 * Returns: the size, or -1 when unknown
 */
gint64
ferry_parse_size_reply (const char *text)
{
  g_autofree char *copy = NULL;
  guint64 value = 0;
  const char *p;

  if (text == NULL)
    return -1;

  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0')
    return -1;

  for (p = copy; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return -1;
      if (value > (G_MAXINT64 - (*p - '0')) / 10)
        return -1;
      value = value * 10 + (*p - '0');
    }

  return (gint64) value;
}

static gboolean
parse_digits (const char *p,
              guint       n,
              int        *out)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (p[i]))
        return FALSE;
      value = value * 10 + (p[i] - '0');
    }

  *out = value;
  return TRUE;
}

/**
 * ferry_parse_mdtm_reply:
 * @text: the text of a 213 reply to MDTM
 *
 * RFC 3659 §3: YYYYMMDDHHMMSS[.fff], in UTC.  Anything else (some servers
 * send local time with separators, or 19 for the century) gives %NULL: the
 * time is ignored rather than trusted.
 *
 * Returns: (transfer full) (nullable): the time in UTC
 */
GDateTime *
ferry_parse_mdtm_reply (const char *text)
{
  g_autofree char *copy = NULL;
  int year, month, day, hour, minute, second;
  double fraction = 0;
  const char *p;

  if (text == NULL)
    return NULL;

  copy = g_strstrip (g_strdup (text));
  p = copy;

  if (strlen (p) < 14 ||
      !parse_digits (p, 4, &year) || !parse_digits (p + 4, 2, &month) ||
      !parse_digits (p + 6, 2, &day) || !parse_digits (p + 8, 2, &hour) ||
      !parse_digits (p + 10, 2, &minute) || !parse_digits (p + 12, 2, &second))
    return NULL;

  p += 14;
  if (*p == '.')
    {
      double scale = 0.1;

      p++;
      if (!g_ascii_isdigit (*p))
        return NULL;
      while (g_ascii_isdigit (*p))
        {
          fraction += (*p - '0') * scale;
          scale /= 10;
          p++;
        }
    }

  if (*p != '\0' || year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 60)
    return NULL;

  return g_date_time_new_utc (year, month, day, hour, minute, MIN (second, 59) + fraction);
}

/**
 * ferry_parse_pwd_reply:
 * @text: the text of a 257 reply
 *
 * RFC 959 Appendix II: the path is in double quotes, with inner quotes
 * doubled.  A path holding control characters is refused.
 *
 * Returns: (transfer full) (nullable): the path
 */
char *
ferry_parse_pwd_reply (const char *text)
{
  g_autoptr(GString) path = NULL;
  const char *p;

  if (text == NULL || (p = strchr (text, '"')) == NULL)
    return NULL;

  path = g_string_new (NULL);
  for (p++; *p != '\0'; p++)
    {
      if (*p == '"')
        {
          if (p[1] == '"')
            {
              g_string_append_c (path, '"');
              p++;
              continue;
            }
          break;
        }
      if ((guchar) *p < 0x20 || *p == 0x7f)
        return NULL;
      g_string_append_c (path, *p);
    }

  if (*p != '"' || path->len == 0 || !g_utf8_validate (path->str, path->len, NULL))
    return NULL;

  return g_string_free (g_steal_pointer (&path), FALSE);
}

/* --- typed commands ----------------------------------------------------- */

static void
pwd_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  char *path;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  path = ferry_parse_pwd_reply (ferry_reply_get_text (reply));
  if (path == NULL)
    {
      g_autofree char *clean = ferry_ftp_sanitize_text (ferry_reply_get_text (reply), -1);
      g_task_return_new_error (task, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY,
                               _("The server named its current folder in a way Ferry cannot use: %s"),
                               clean);
      return;
    }

  g_task_return_pointer (task, path, g_free);
}

/**
 * ferry_control_pwd_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Asks for the current remote folder.
 */
void
ferry_control_pwd_async (FerryControl        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_CONTROL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_control_pwd_async);
  ferry_control_send_async (self, "PWD", FERRY_EXPECT_2YZ, cancellable, pwd_cb, task);
}

/**
 * ferry_control_pwd_finish:
 *
 * Returns: (transfer full): the current folder, or %NULL with @error set
 */
char *
ferry_control_pwd_finish (FerryControl  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
size_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint code;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  code = ferry_reply_get_code (reply);
  if (code == 213)
    g_task_return_int (task, ferry_parse_size_reply (ferry_reply_get_text (reply)));
  else if (code == 550)
    g_task_return_error (task, ferry_ftp_error_from_reply (reply, NULL));
  else if (ferry_reply_get_class (reply) == 4)
    g_task_return_error (task, ferry_ftp_error_from_reply (reply, NULL));
  else
    g_task_return_int (task, -1);
}

/**
 * ferry_control_size_async:
 * @path: a remote path
 * @cancellable: (nullable): a #GCancellable
 *
 * SIZE: 550 is %FERRY_FTP_ERROR_NOT_FOUND; a server without SIZE, or junk
 * in the reply, gives -1 (unknown).
 */
void
ferry_control_size_async (FerryControl        *self,
                          const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_CONTROL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_control_size_async);
  ferry_control_command_async (self, "SIZE", path, FERRY_EXPECT_ANY, cancellable, size_cb, task);
}

/**
 * ferry_control_size_finish:
 *
 * Returns: the size, -1 when unknown, or -1 with @error set
 */
gint64
ferry_control_size_finish (FerryControl  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

static void
mdtm_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint code;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  code = ferry_reply_get_code (reply);
  if (code == 213)
    g_task_return_pointer (task, ferry_parse_mdtm_reply (ferry_reply_get_text (reply)),
                           (GDestroyNotify) g_date_time_unref);
  else if (ferry_reply_get_class (reply) == 4)
    g_task_return_error (task, ferry_ftp_error_from_reply (reply, NULL));
  else
    g_task_return_pointer (task, NULL, NULL);
}

/**
 * ferry_control_mdtm_async:
 * @path: a remote path
 * @cancellable: (nullable): a #GCancellable
 *
 * MDTM: the modification time, or %NULL without error when the server
 * does not say or says it in a malformed way.
 */
void
ferry_control_mdtm_async (FerryControl        *self,
                          const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_CONTROL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_control_mdtm_async);
  ferry_control_command_async (self, "MDTM", path, FERRY_EXPECT_ANY, cancellable, mdtm_cb, task);
}

/**
 * ferry_control_mdtm_finish:
 *
 * Returns: (transfer full) (nullable): the time, %NULL when unknown or on error
 */
GDateTime *
ferry_control_mdtm_finish (FerryControl  *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
rnto_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
rnfr_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FerryControl *self = FERRY_CONTROL (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (self, result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  ferry_control_command_async (self, "RNTO", g_task_get_task_data (task),
                               FERRY_EXPECT_2YZ | FERRY_EXPECT_CHAINED,
                               g_task_get_cancellable (task), rnto_cb, g_object_ref (task));
}

/**
 * ferry_control_rename_async:
 * @from: the remote path to rename
 * @to: its new path
 * @cancellable: (nullable): a #GCancellable
 *
 * RNFR then RNTO, with nothing else between them.
 */
void
ferry_control_rename_async (FerryControl        *self,
                            const char          *from,
                            const char          *to,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;
  GTask *task;

  g_return_if_fail (FERRY_IS_CONTROL (self));
  g_return_if_fail (from != NULL && to != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_control_rename_async);
  g_task_set_task_data (task, g_strdup (to), g_free);

  /* Refuse before RNFR, so a bad target never leaves RNFR dangling. */
  check = ferry_control_build_command ("RNTO", to, &error);
  if (check == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  ferry_control_command_async (self, "RNFR", from, FERRY_EXPECT_3YZ | FERRY_EXPECT_HOLD,
                               cancellable, rnfr_cb, task);
}

/**
 * ferry_control_rename_finish:
 *
 * Returns: %TRUE when renamed
 */
gboolean
ferry_control_rename_finish (FerryControl  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- listing ------------------------------------------------------------ */

typedef struct
{
  char             *path;
  FerryDataChannel *channel;
  GByteArray       *data;
  guint8           *buffer;
  guint             n_unsafe;
  guint             timer_id;
  guint             mlsd : 1;
  guint             eof : 1;
  guint             final : 1;
  guint             failed : 1;
} ListData;

static void
list_data_free (ListData *data)
{
  g_clear_handle_id (&data->timer_id, g_source_remove);
  if (data->channel != NULL)
    ferry_data_channel_close (data->channel);
  g_clear_object (&data->channel);
  g_clear_pointer (&data->data, g_byte_array_unref);
  g_free (data->buffer);
  g_free (data->path);
  g_free (data);
}

typedef struct
{
  GPtrArray *files;
  guint      n_unsafe;
} ListResult;

static void
list_result_free (ListResult *result)
{
  g_ptr_array_unref (result->files);
  g_free (result);
}

static void
list_fail (GTask  *task,
           GError *error)
{
  FerryControl *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);

  if (data->failed)
    {
      g_error_free (error);
      return;
    }

  data->failed = TRUE;
  g_clear_handle_id (&data->timer_id, g_source_remove);
  if (data->channel != NULL)
    ferry_data_channel_close (data->channel);

  /* If the final reply never came, the connection is in an unknown state. */
  if (!data->final && self->preliminary_lock)
    ferry_control_abort (self, error);

  g_task_return_error (task, error);
}

static void
list_maybe_done (GTask *task)
{
  ListData *data = g_task_get_task_data (task);
  g_autoptr(GDateTime) now = NULL;
  ListResult *result;
  guint n_invalid = 0;

  if (!data->eof || !data->final || data->failed)
    return;

  g_clear_handle_id (&data->timer_id, g_source_remove);
  now = g_date_time_new_now_utc ();
  result = g_new0 (ListResult, 1);
  result->files = ferry_listing_parse (data->mlsd ? FERRY_LISTING_FORMAT_MLSD :
                                       FERRY_LISTING_FORMAT_LIST,
                                       (const char *) data->data->data, data->data->len,
                                       now, &result->n_unsafe, &n_invalid);
  if (n_invalid > 0)
    g_debug ("%u listing lines not understood in %s", n_invalid, data->path);
  g_task_return_pointer (task, result, (GDestroyNotify) list_result_free);
}

static void list_read (GTask *task);

static gboolean
list_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  FerryControl *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);
  guint seconds = self->reply_timeout;

  data->timer_id = 0;
  /* The task lives while its read or final reply is pending: both hold it. */
  list_fail (task, g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "The listing stalled for %u second",
                                             "The listing stalled for %u seconds", seconds),
                                seconds));
  return G_SOURCE_REMOVE;
}

/* A server may open the data connection and then send nothing (or stop
 * half way): the listing gets the reply timeout for each stretch of
 * silence, on the data channel and while waiting for the final reply. */
static void
list_touch (GTask *task)
{
  FerryControl *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);

  g_clear_handle_id (&data->timer_id, g_source_remove);
  if (self->reply_timeout > 0 && !data->failed)
    data->timer_id = g_timeout_add_seconds (self->reply_timeout, list_timeout_cb, task);
}

static void
list_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  ListData *data = g_task_get_task_data (task);
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (data->failed)
    return;

  if (g_task_return_error_if_cancelled (task))
    {
      data->failed = TRUE;
      return;
    }

  if (n < 0)
    {
      list_fail (task, g_steal_pointer (&error));
      return;
    }

  if (n == 0)
    {
      data->eof = TRUE;
      ferry_data_channel_close (data->channel);
      list_touch (task);
      list_maybe_done (task);
      return;
    }

  if (data->data->len + n > MAX_LISTING_SIZE)
    {
      list_fail (task, g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY,
                                    _("The listing of %s is larger than %u MiB"),
                                    data->path, MAX_LISTING_SIZE / (1024 * 1024)));
      return;
    }

  g_byte_array_append (data->data, data->buffer, n);
  list_read (g_steal_pointer (&task));
}

static void
list_read (GTask *task)
{
  ListData *data = g_task_get_task_data (task);
  GInputStream *input = g_io_stream_get_input_stream (ferry_data_channel_get_stream (data->channel));

  list_touch (task);
  g_input_stream_read_async (input, data->buffer, 65536, G_PRIORITY_DEFAULT,
                             ferry_data_channel_get_cancellable (data->channel),
                             list_read_cb, task);
}

static void
list_final_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  ListData *data = g_task_get_task_data (task);

  reply = ferry_control_read_final_finish (FERRY_CONTROL (object), result, &error);
  data->final = TRUE;
  if (data->failed)
    return;

  if (reply == NULL)
    {
      list_fail (task, g_steal_pointer (&error));
      return;
    }

  list_maybe_done (task);
}

static void
list_command_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FerryControl *self = FERRY_CONTROL (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  ListData *data = g_task_get_task_data (task);

  reply = ferry_control_send_finish (self, result, &error);
  if (reply == NULL)
    {
      data->final = TRUE;
      list_fail (task, g_steal_pointer (&error));
      return;
    }

  if (ferry_reply_is_preliminary (reply))
    ferry_control_read_final_async (self, g_task_get_cancellable (task), list_final_cb,
                                    g_object_ref (task));
  else
    /* Some servers skip the 1yz and send 226 at once: data may still be
     * on its way, so read to EOF anyway. */
    data->final = TRUE;

  list_read (g_steal_pointer (&task));
}

static void
list_channel_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  FerryControl *self = g_task_get_source_object (task);
  ListData *data = g_task_get_task_data (task);

  data->channel = ferry_data_channel_open_finish (result, &error);
  if (data->channel == NULL)
    {
      data->final = TRUE;
      list_fail (task, g_steal_pointer (&error));
      return;
    }

  ferry_control_command_async (self, data->mlsd ? "MLSD" : "LIST", data->path,
                               FERRY_EXPECT_1YZ | FERRY_EXPECT_2YZ | FERRY_EXPECT_CHAINED,
                               g_task_get_cancellable (task),
                               list_command_cb, g_object_ref (task));
}

/**
 * ferry_control_list_async:
 * @path: (nullable): the folder to list, %NULL for the current one
 * @cancellable: (nullable): a #GCancellable
 *
 * Lists a folder with MLSD when FEAT offers it, LIST otherwise.  Entries
 * whose names are unsafe as local file names are dropped and counted.
 */
void
ferry_control_list_async (FerryControl        *self,
                          const char          *path,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *check = NULL;
  ListData *data;

  g_return_if_fail (FERRY_IS_CONTROL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_control_list_async);

  check = ferry_control_build_command ("LIST", path, &error);
  if (check == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (ListData, 1);
  data->path = g_strdup (path);
  data->mlsd = (self->features & FERRY_FEATURE_MLSD) != 0;
  data->data = g_byte_array_new ();
  data->buffer = g_malloc (65536);
  g_task_set_task_data (task, data, (GDestroyNotify) list_data_free);

  ferry_data_channel_open_async (self, cancellable, list_channel_cb, g_steal_pointer (&task));
}

/**
 * ferry_control_list_finish:
 * @n_unsafe: (out) (optional): how many entries were dropped as unsafe
 *
 * Returns: (transfer container) (element-type FerryRemoteFile): the entries
 */
GPtrArray *
ferry_control_list_finish (FerryControl  *self,
                           GAsyncResult  *result,
                           guint         *n_unsafe,
                           GError       **error)
{
  ListResult *list;
  GPtrArray *files;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  list = g_task_propagate_pointer (G_TASK (result), error);
  if (list == NULL)
    return NULL;

  if (n_unsafe != NULL)
    *n_unsafe = list->n_unsafe;
  files = g_ptr_array_ref (list->files);
  list_result_free (list);
  return files;
}

/* --- close -------------------------------------------------------------- */

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  FerryControl *self = FERRY_CONTROL (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* Whatever QUIT got, the connection is done with. */
  reply = ferry_control_send_finish (self, result, &error);
  ferry_control_disconnect (self);
  g_task_return_boolean (task, TRUE);
}

/**
 * ferry_control_close_async:
 * @cancellable: (nullable): a #GCancellable
 *
 * Says QUIT and closes the connection.
 */
void
ferry_control_close_async (FerryControl        *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FERRY_IS_CONTROL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_control_close_async);

  if (self->connection == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  ferry_control_send_async (self, "QUIT", FERRY_EXPECT_ANY, cancellable, quit_cb, task);
}

/**
 * ferry_control_close_finish:
 *
 * Returns: %TRUE
 */
gboolean
ferry_control_close_finish (FerryControl  *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
