/* ferry-ftp-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-ftp-error"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "ferry-ftp-error.h"
#include "ferry-reply.h"

G_DEFINE_QUARK (ferry-ftp-error-quark, ferry_ftp_error)

/**
 * ferry_ftp_sanitize_text:
 * @text: text from the server
 * @len: its length, or -1 when nul-terminated
 *
 * Makes server text safe to show: control characters become spaces, invalid
 * UTF-8 is replaced, and surrounding space is trimmed.
 *
 * Returns: (transfer full): a new string
 */
char *
ferry_ftp_sanitize_text (const char *text,
                         gssize      len)
{
  g_autofree char *valid = NULL;
  char *p;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, len);
  for (p = valid; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';

  return g_strdup (g_strstrip (valid));
}

static int
error_code_for_reply (guint code)
{
  /* One table from reply code to error, ordered by code (as gvfs does in
   * g_vfs_ftp_task_set_error_from_response). */
  switch (code)
    {
    case 332:
    case 530:
    case 532:
      return FERRY_FTP_ERROR_LOGIN_DENIED;
    case 421:
      return FERRY_FTP_ERROR_CLOSED;
    case 452:
    case 552:
      return FERRY_FTP_ERROR_NO_SPACE;
    case 550:
    case 450:
      /* 450 "file unavailable (busy)" is transient by class, but some servers
       * use it for a missing file; is_transient() keeps the class's word. */
      return code == 550 ? FERRY_FTP_ERROR_NOT_FOUND : FERRY_FTP_ERROR_TRANSIENT;
    default:
      break;
    }

  if (code >= 400 && code < 500)
    return FERRY_FTP_ERROR_TRANSIENT;

  return FERRY_FTP_ERROR_FAILED;
}

/**
 * ferry_ftp_error_from_reply:
 * @reply: a reply that was not the one hoped for
 * @what: (nullable): what was being done, e.g. "log in to host:21"
 *
 * Maps a reply to an error of the %FERRY_FTP_ERROR domain whose message
 * carries the server's own words.
 *
 * Returns: (transfer full): a new #GError
 */
GError *
ferry_ftp_error_from_reply (FerryReply *reply,
                            const char *what)
{
  g_autofree char *text = NULL;
  guint code;

  g_return_val_if_fail (FERRY_IS_REPLY (reply), NULL);

  code = ferry_reply_get_code (reply);
  text = ferry_ftp_sanitize_text (ferry_reply_get_text (reply), -1);

  if (what != NULL)
    /* Translators: the first %s says what failed ("cannot log in to host:21"),
     * then the server's reply code and text. */
    return g_error_new (FERRY_FTP_ERROR, error_code_for_reply (code),
                        _("%s: %u %s"), what, code, text);

  return g_error_new (FERRY_FTP_ERROR, error_code_for_reply (code), "%u %s", code, text);
}

/**
 * ferry_ftp_error_is_transient:
 * @error: (nullable): an error from the engine
 *
 * Whether an operation that failed with @error may succeed when tried again
 * on a new connection: lost connections, timeouts and 4yz replies are; a
 * cancel, a refused login, a missing file or a full disk are not.
 *
 * Returns: %TRUE if a retry makes sense
 */
gboolean
ferry_ftp_error_is_transient (const GError *error)
{
  if (error == NULL)
    return FALSE;

  if (error->domain == FERRY_FTP_ERROR)
    {
      switch ((FerryFtpError) error->code)
        {
        case FERRY_FTP_ERROR_TRANSIENT:
        case FERRY_FTP_ERROR_CLOSED:
        case FERRY_FTP_ERROR_INCOMPLETE:
        case FERRY_FTP_ERROR_BAD_REPLY:
        case FERRY_FTP_ERROR_REPLY_TOO_LONG:
          return TRUE;
        case FERRY_FTP_ERROR_FAILED:
        case FERRY_FTP_ERROR_INVALID_COMMAND:
        case FERRY_FTP_ERROR_LOGIN_DENIED:
        case FERRY_FTP_ERROR_NOT_FOUND:
        case FERRY_FTP_ERROR_NO_SPACE:
        case FERRY_FTP_ERROR_RESUME_UNSUPPORTED:
        case FERRY_FTP_ERROR_REMOTE_CHANGED:
        case FERRY_FTP_ERROR_VERIFY_FAILED:
        case FERRY_FTP_ERROR_UNSAFE_NAME:
        case FERRY_FTP_ERROR_NOT_CONNECTED:
        case FERRY_FTP_ERROR_INVALID_URL:
        case FERRY_FTP_ERROR_LOCAL:
        default:
          return FALSE;
        }
    }

  if (error->domain == G_IO_ERROR)
    {
      switch (error->code)
        {
        case G_IO_ERROR_CANCELLED:
        case G_IO_ERROR_NOT_FOUND:
        case G_IO_ERROR_NO_SPACE:
        case G_IO_ERROR_PERMISSION_DENIED:
        case G_IO_ERROR_INVALID_ARGUMENT:
          return FALSE;
        case G_IO_ERROR_TIMED_OUT:
        case G_IO_ERROR_CONNECTION_REFUSED:
        case G_IO_ERROR_CONNECTION_CLOSED:
        case G_IO_ERROR_HOST_UNREACHABLE:
        case G_IO_ERROR_NETWORK_UNREACHABLE:
        case G_IO_ERROR_NOT_CONNECTED:
        case G_IO_ERROR_PARTIAL_INPUT:
          return TRUE;
        default:
          return FALSE;
        }
    }

  /* Anything the socket layer reports that GIO does not name (ECONNRESET
   * maps to G_IO_ERROR_CONNECTION_CLOSED or _FAILED) is a lost connection. */
  return error->domain == g_resolver_error_quark () &&
         error->code == G_RESOLVER_ERROR_TEMPORARY_FAILURE;
}
