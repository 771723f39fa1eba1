/* ferry-data-channel.c: the passive data connection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-data-channel"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ferry-data-channel.h"
#include "ferry-ftp-error.h"

struct _FerryDataChannel
{
  GObject             parent_instance;

  /* Owned */
  GSocketConnection  *connection;
  GCancellable       *cancellable;

  /* Borrowed */
  GCancellable       *parent;
  gulong              parent_handler;
};

G_DEFINE_FINAL_TYPE (FerryDataChannel, ferry_data_channel, G_TYPE_OBJECT)

static void
ferry_data_channel_dispose (GObject *object)
{
  FerryDataChannel *self = (FerryDataChannel *)object;

  ferry_data_channel_close (self);
  if (self->parent != NULL)
    {
      g_cancellable_disconnect (self->parent, self->parent_handler);
      g_clear_object (&self->parent);
    }
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ferry_data_channel_parent_class)->dispose (object);
}

static void
ferry_data_channel_class_init (FerryDataChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_data_channel_dispose;
}

static void
ferry_data_channel_init (FerryDataChannel *self)
{
  self->cancellable = g_cancellable_new ();
}

static void
parent_cancelled_cb (GCancellable *parent,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/**
 * ferry_parse_epsv_reply:
 * @text: the text of a 229 reply
 * @port: (out): the port
 * @error: return location for an error
 *
 * RFC 2428 §3: "(|||port|)", where | may be any printable delimiter.
 * Port 0 or over 65535 is an error.
 *
 * Returns: %TRUE when @port was set
 */
gboolean
ferry_parse_epsv_reply (const char  *text,
                        guint16     *port,
                        GError     **error)
{
  const char *p;
  guint64 value = 0;
  char delim;

  p = text != NULL ? strchr (text, '(') : NULL;
  if (p == NULL || p[1] == '\0')
    goto bad;

  delim = p[1];
  if (delim < 33 || delim > 126 || g_ascii_isdigit (delim) ||
      p[2] != delim || p[3] != delim)
    goto bad;

  p += 4;
  if (!g_ascii_isdigit (*p))
    goto bad;
  while (g_ascii_isdigit (*p))
    {
      value = value * 10 + (*p - '0');
      if (value > G_MAXUINT16)
        goto bad;
      p++;
    }
  if (*p != delim || p[1] != ')' || value == 0)
    goto bad;

  *port = (guint16) value;
  return TRUE;

bad:
  {
    g_autofree char *clean = ferry_ftp_sanitize_text (text, -1);
    g_set_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY,
                 _("The server's EPSV reply names no usable port: %s"), clean);
  }
  return FALSE;
}

/**
 * ferry_parse_pasv_reply:
 * @text: the text of a 227 reply
 * @address: (out): the four octets the server named
 * @port: (out): the port
 * @error: return location for an error
 *
 * RFC 959: "h1,h2,h3,h4,p1,p2", with or without parentheses.  An octet over
 * 255 or port 0 is an error.  Callers only log @address: the data
 * connection always goes to the control connection's peer.
 *
 * Returns: %TRUE when parsed
 */
gboolean
ferry_parse_pasv_reply (const char  *text,
                        guint8       address[4],
                        guint16     *port,
                        GError     **error)
{
  const char *p;

  for (p = text; p != NULL && *p != '\0'; p++)
    {
      guint values[6];
      const char *q = p;
      guint i;

      if (!g_ascii_isdigit (*p) || (p > text && g_ascii_isdigit (p[-1])))
        continue;

      for (i = 0; i < 6; i++)
        {
          guint value = 0;
          guint digits = 0;

          while (g_ascii_isdigit (*q) && digits < 4)
            {
              value = value * 10 + (*q - '0');
              q++;
              digits++;
            }
          if (digits == 0 || g_ascii_isdigit (*q))
            break;
          values[i] = value;
          if (i < 5)
            {
              if (*q != ',')
                break;
              q++;
            }
        }

      if (i < 6)
        continue;

      for (i = 0; i < 6; i++)
        if (values[i] > 255)
          goto bad;

      if (values[4] * 256 + values[5] == 0)
        goto bad;

      for (i = 0; i < 4; i++)
        address[i] = values[i];
      *port = values[4] * 256 + values[5];
      return TRUE;
    }

bad:
  {
    g_autofree char *clean = ferry_ftp_sanitize_text (text, -1);
    g_set_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY,
                 _("The server's PASV reply names no usable address: %s"), clean);
  }
  return FALSE;
}

typedef struct
{
  FerryControl *control;
  guint16       port;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_clear_object (&data->control);
  g_free (data);
}

static void
open_fail (GTask  *task,
           GError *error)
{
  OpenData *data = g_task_get_task_data (task);

  ferry_control_release (data->control);
  g_task_return_error (task, error);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  FerryDataChannel *self;

  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);
  if (connection == NULL)
    {
      OpenData *data = g_task_get_task_data (task);

      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %u is a TCP port */
          g_prefix_error (&error, _("Cannot open the data connection to port %u: "), data->port);
          /* Whatever GIO called it, no data connection is worth a retry. */
          if (!ferry_ftp_error_is_transient (error))
            {
              GError *transient = g_error_new_literal (FERRY_FTP_ERROR, FERRY_FTP_ERROR_TRANSIENT,
                                                       error->message);
              g_clear_error (&error);
              error = transient;
            }
        }
      open_fail (task, g_steal_pointer (&error));
      return;
    }

  self = g_object_new (FERRY_TYPE_DATA_CHANNEL, NULL);
  self->connection = g_steal_pointer (&connection);
  /* The connect timeout must not become a read timeout: the transfer
   * watches inactivity itself. */
  g_socket_set_timeout (g_socket_connection_get_socket (self->connection), 0);
  if (g_task_get_cancellable (task) != NULL)
    {
      self->parent = g_object_ref (g_task_get_cancellable (task));
      self->parent_handler = g_cancellable_connect (self->parent, G_CALLBACK (parent_cancelled_cb),
                                                    g_object_ref (self->cancellable),
                                                    g_object_unref);
    }
  g_task_return_pointer (task, self, g_object_unref);
}

static void
open_connect (GTask *task)
{
  OpenData *data = g_task_get_task_data (task);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketAddress) address = NULL;
  GInetAddress *peer = ferry_control_get_peer_address (data->control);

  if (peer == NULL)
    {
      open_fail (task, g_error_new_literal (FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_CONNECTED,
                                            _("Not connected to a server")));
      g_object_unref (task);
      return;
    }

  address = g_inet_socket_address_new (peer, data->port);
  g_socket_client_set_timeout (client, ferry_control_get_reply_timeout (data->control));
  g_socket_client_set_enable_proxy (client, FALSE);
  g_socket_client_connect_async (client, G_SOCKET_CONNECTABLE (address),
                                 g_task_get_cancellable (task), connect_cb, task);
}

static void
pasv_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  OpenData *data = g_task_get_task_data (task);
  guint8 octets[4];

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    {
      open_fail (task, g_steal_pointer (&error));
      return;
    }

  if (!ferry_parse_pasv_reply (ferry_reply_get_text (reply), octets, &data->port, &error))
    {
      open_fail (task, g_steal_pointer (&error));
      return;
    }

  {
    g_autoptr(GInetAddress) named = g_inet_address_new_from_bytes (octets, G_SOCKET_FAMILY_IPV4);
    GInetAddress *peer = ferry_control_get_peer_address (data->control);

    /* curl CVE-2020-8284: a server could aim us at another host. */
    if (peer != NULL && !g_inet_address_equal (named, peer))
      g_debug ("Ignoring the address %u.%u.%u.%u in the PASV reply; using the server's own",
               octets[0], octets[1], octets[2], octets[3]);
  }

  open_connect (g_steal_pointer (&task));
}

static void
send_pasv (GTask *task)
{
  OpenData *data = g_task_get_task_data (task);

  ferry_control_send_async (data->control, "PASV", FERRY_EXPECT_2YZ | FERRY_EXPECT_HOLD,
                            g_task_get_cancellable (task), pasv_cb, task);
}

static void
epsv_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  OpenData *data = g_task_get_task_data (task);

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    {
      open_fail (task, g_steal_pointer (&error));
      return;
    }

  if (ferry_reply_get_class (reply) == 5 ||
      !ferry_parse_epsv_reply (ferry_reply_get_text (reply), &data->port, &error))
    {
      /* PROTOCOL.md: on 5yz fall back to PASV, and remember it so later
       * transfers on this server skip the useless EPSV. */
      g_debug ("EPSV unusable (%s), falling back to PASV",
               error != NULL ? error->message : ferry_reply_get_first_line (reply));
      ferry_control_add_features (data->control, FERRY_FEATURE_BROKEN_EPSV);
      ferry_control_release (data->control);
      send_pasv (g_steal_pointer (&task));
      return;
    }

  open_connect (g_steal_pointer (&task));
}

/**
 * ferry_data_channel_open_async:
 * @control: a logged-in control connection
 * @cancellable: (nullable): a #GCancellable
 *
 * Asks for a passive data connection (EPSV, or PASV when EPSV is refused)
 * and connects to it at the control connection's peer address.  The control
 * connection is held for the caller: the next command must be sent with
 * %FERRY_EXPECT_CHAINED (RETR, STOR, LIST …), or ferry_control_release()
 * called when it will not be.
 */
void
ferry_data_channel_open_async (FerryControl        *control,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  OpenData *data;

  g_return_if_fail (FERRY_IS_CONTROL (control));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_data_channel_open_async);

  data = g_new0 (OpenData, 1);
  data->control = g_object_ref (control);
  g_task_set_task_data (task, data, (GDestroyNotify) open_data_free);

  if (ferry_control_get_features (control) & FERRY_FEATURE_BROKEN_EPSV)
    send_pasv (g_steal_pointer (&task));
  else
    ferry_control_send_async (control, "EPSV",
                              FERRY_EXPECT_2YZ | FERRY_EXPECT_5YZ | FERRY_EXPECT_HOLD,
                              cancellable, epsv_cb, g_steal_pointer (&task));
}

/**
 * ferry_data_channel_open_finish:
 *
 * Returns: (transfer full): the data channel, or %NULL with @error set
 */
FerryDataChannel *
ferry_data_channel_open_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ferry_data_channel_get_stream:
 *
 * Returns: (transfer none) (nullable): the stream, %NULL once closed
 */
GIOStream *
ferry_data_channel_get_stream (FerryDataChannel *self)
{
  g_return_val_if_fail (FERRY_IS_DATA_CHANNEL (self), NULL);
  return (GIOStream *) self->connection;
}

/**
 * ferry_data_channel_get_socket:
 *
 * Returns: (transfer none) (nullable): the socket, %NULL once closed
 */
GSocket *
ferry_data_channel_get_socket (FerryDataChannel *self)
{
  g_return_val_if_fail (FERRY_IS_DATA_CHANNEL (self), NULL);
  return self->connection ? g_socket_connection_get_socket (self->connection) : NULL;
}

/**
 * ferry_data_channel_get_cancellable:
 *
 * Reads and writes on the stream must use this cancellable: closing the
 * channel cancels it, so no operation is left waiting on a closed socket.
 * It is also cancelled when the cancellable given to open is.
 *
 * Returns: (transfer none): the channel's cancellable
 */
GCancellable *
ferry_data_channel_get_cancellable (FerryDataChannel *self)
{
  g_return_val_if_fail (FERRY_IS_DATA_CHANNEL (self), NULL);
  return self->cancellable;
}

/**
 * ferry_data_channel_close:
 *
 * Closes the connection; harmless when already closed.  Pending reads and
 * writes finish with %G_IO_ERROR_CANCELLED.
 */
void
ferry_data_channel_close (FerryDataChannel *self)
{
  g_return_if_fail (FERRY_IS_DATA_CHANNEL (self));

  if (self->connection == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  /* Closing a socket does not block. */
  g_io_stream_close (G_IO_STREAM (self->connection), NULL, NULL);
  g_clear_object (&self->connection);
}
