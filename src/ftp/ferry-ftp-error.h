/* ferry-ftp-error.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_FTP_ERROR (ferry_ftp_error_quark ())

/**
 * FerryFtpError:
 * @FERRY_FTP_ERROR_FAILED: anything else the server refused
 * @FERRY_FTP_ERROR_BAD_REPLY: the server sent something that is not FTP
 * @FERRY_FTP_ERROR_REPLY_TOO_LONG: one reply went over the 64 KiB cap
 * @FERRY_FTP_ERROR_INVALID_COMMAND: an argument held CR, LF or NUL; nothing was sent
 * @FERRY_FTP_ERROR_TRANSIENT: a 4yz reply or a lost connection; worth retrying
 * @FERRY_FTP_ERROR_CLOSED: the server closed the control connection (421 or EOF)
 * @FERRY_FTP_ERROR_LOGIN_DENIED: 530 or 332: wrong user or password
 * @FERRY_FTP_ERROR_NOT_FOUND: 550 on a file operation
 * @FERRY_FTP_ERROR_NO_SPACE: 452 or 552
 * @FERRY_FTP_ERROR_RESUME_UNSUPPORTED: REST was refused
 * @FERRY_FTP_ERROR_REMOTE_CHANGED: the remote file changed between attempts
 * @FERRY_FTP_ERROR_INCOMPLETE: a data transfer ended short of its size
 * @FERRY_FTP_ERROR_VERIFY_FAILED: a finished file's size or hash does not match
 * @FERRY_FTP_ERROR_UNSAFE_NAME: a remote name would escape the chosen folder
 * @FERRY_FTP_ERROR_NOT_CONNECTED: the operation needs a logged-in connection
 * @FERRY_FTP_ERROR_INVALID_URL: an ftp:// address could not be understood
 * @FERRY_FTP_ERROR_LOCAL: a local file could not be read or written
 *
 * Error codes of the %FERRY_FTP_ERROR domain.  GIO errors such as
 * %G_IO_ERROR_CANCELLED and %G_IO_ERROR_TIMED_OUT pass through unwrapped.
 */
typedef enum
{
  FERRY_FTP_ERROR_FAILED,
  FERRY_FTP_ERROR_BAD_REPLY,
  FERRY_FTP_ERROR_REPLY_TOO_LONG,
  FERRY_FTP_ERROR_INVALID_COMMAND,
  FERRY_FTP_ERROR_TRANSIENT,
  FERRY_FTP_ERROR_CLOSED,
  FERRY_FTP_ERROR_LOGIN_DENIED,
  FERRY_FTP_ERROR_NOT_FOUND,
  FERRY_FTP_ERROR_NO_SPACE,
  FERRY_FTP_ERROR_RESUME_UNSUPPORTED,
  FERRY_FTP_ERROR_REMOTE_CHANGED,
  FERRY_FTP_ERROR_INCOMPLETE,
  FERRY_FTP_ERROR_VERIFY_FAILED,
  FERRY_FTP_ERROR_UNSAFE_NAME,
  FERRY_FTP_ERROR_NOT_CONNECTED,
  FERRY_FTP_ERROR_INVALID_URL,
  FERRY_FTP_ERROR_LOCAL,
} FerryFtpError;

typedef struct _FerryReply FerryReply;

GQuark    ferry_ftp_error_quark        (void);
GError   *ferry_ftp_error_from_reply   (FerryReply   *reply,
                                        const char   *what);
gboolean  ferry_ftp_error_is_transient (const GError *error);
char     *ferry_ftp_sanitize_text      (const char   *text,
                                        gssize        len);

G_END_DECLS
