/* ferry-control.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-reply.h"

G_BEGIN_DECLS

/**
 * FerryFeatures:
 *
 * What the server said it can do in its FEAT reply (RFC 2389), plus what we
 * learned at run time (%FERRY_FEATURE_BROKEN_EPSV).
 */
typedef enum /*< flags >*/
{
  FERRY_FEATURE_NONE        = 0,
  FERRY_FEATURE_UTF8        = 1 << 0,
  FERRY_FEATURE_EPSV        = 1 << 1,
  FERRY_FEATURE_MLSD        = 1 << 2,
  FERRY_FEATURE_SIZE        = 1 << 3,
  FERRY_FEATURE_MDTM        = 1 << 4,
  FERRY_FEATURE_REST_STREAM = 1 << 5,
  FERRY_FEATURE_HASH        = 1 << 6,
  FERRY_FEATURE_XSHA256     = 1 << 7,
  FERRY_FEATURE_XSHA1       = 1 << 8,
  FERRY_FEATURE_XMD5        = 1 << 9,
  FERRY_FEATURE_XCRC        = 1 << 10,
  FERRY_FEATURE_BROKEN_EPSV = 1 << 16,
} FerryFeatures;

/**
 * FerryExpect:
 *
 * Which reply classes a command may get without it being an error.
 * %FERRY_EXPECT_ANY hands back whatever final reply came (the console).
 * With %FERRY_EXPECT_1YZ a preliminary reply is handed back and the
 * connection stays with that command until ferry_control_read_final_async().
 *
 * %FERRY_EXPECT_HOLD keeps the connection for the caller after a successful
 * reply: only %FERRY_EXPECT_CHAINED commands go next, until one without HOLD
 * completes or ferry_control_release() is called.  This keeps pairs that must
 * be adjacent (RNFR/RNTO, REST/RETR, EPSV/LIST) from being split by other
 * commands queued on the same connection.
 */
typedef enum /*< flags >*/
{
  FERRY_EXPECT_1YZ = 1 << 0,
  FERRY_EXPECT_2YZ = 1 << 1,
  FERRY_EXPECT_3YZ = 1 << 2,
  FERRY_EXPECT_4YZ = 1 << 3,
  FERRY_EXPECT_5YZ = 1 << 4,
  FERRY_EXPECT_ANY = FERRY_EXPECT_2YZ | FERRY_EXPECT_3YZ | FERRY_EXPECT_4YZ | FERRY_EXPECT_5YZ,
  FERRY_EXPECT_HOLD = 1 << 8,
  FERRY_EXPECT_CHAINED = 1 << 9,
} FerryExpect;

typedef enum
{
  FERRY_LOG_SENT,
  FERRY_LOG_RECEIVED,
  FERRY_LOG_INFO,
  FERRY_LOG_ERROR,
} FerryLogKind;

#define FERRY_TYPE_CONTROL (ferry_control_get_type ())
G_DECLARE_FINAL_TYPE (FerryControl, ferry_control, FERRY, CONTROL, GObject)

FerryControl   *ferry_control_new                    (void);
const char     *ferry_control_get_host               (FerryControl         *self);
guint16         ferry_control_get_port               (FerryControl         *self);
const char     *ferry_control_get_user               (FerryControl         *self);
gboolean        ferry_control_get_connected          (FerryControl         *self);
FerryFeatures   ferry_control_get_features           (FerryControl         *self);
void            ferry_control_add_features           (FerryControl         *self,
                                                      FerryFeatures         features);
GInetAddress   *ferry_control_get_peer_address       (FerryControl         *self);
const char     *ferry_control_get_hash_algorithms    (FerryControl         *self);
guint           ferry_control_get_reply_timeout      (FerryControl         *self);
void            ferry_control_set_reply_timeout      (FerryControl         *self,
                                                      guint                 seconds);
guint           ferry_control_get_keepalive_interval (FerryControl         *self);
void            ferry_control_set_keepalive_interval (FerryControl         *self,
                                                      guint                 seconds);
const char     *ferry_control_get_log_id             (FerryControl         *self);
void            ferry_control_set_log_id             (FerryControl         *self,
                                                      const char           *log_id);

char           *ferry_control_build_command          (const char           *verb,
                                                      const char           *argument,
                                                      GError              **error);

void            ferry_control_connect_async          (FerryControl         *self,
                                                      const char           *host,
                                                      guint16               port,
                                                      const char           *user,
                                                      const char           *password,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean        ferry_control_connect_finish         (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void            ferry_control_send_async             (FerryControl         *self,
                                                      const char           *command,
                                                      FerryExpect           expect,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FerryReply     *ferry_control_send_finish            (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            ferry_control_command_async          (FerryControl         *self,
                                                      const char           *verb,
                                                      const char           *argument,
                                                      FerryExpect           expect,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FerryReply     *ferry_control_command_finish         (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            ferry_control_read_final_async       (FerryControl         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FerryReply     *ferry_control_read_final_finish      (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

void            ferry_control_pwd_async              (FerryControl         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
char           *ferry_control_pwd_finish             (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            ferry_control_size_async             (FerryControl         *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gint64          ferry_control_size_finish            (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            ferry_control_mdtm_async             (FerryControl         *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GDateTime      *ferry_control_mdtm_finish            (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            ferry_control_rename_async           (FerryControl         *self,
                                                      const char           *from,
                                                      const char           *to,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean        ferry_control_rename_finish          (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            ferry_control_list_async             (FerryControl         *self,
                                                      const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GPtrArray      *ferry_control_list_finish            (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      guint                *n_unsafe,
                                                      GError              **error);
void            ferry_control_close_async            (FerryControl         *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean        ferry_control_close_finish           (FerryControl         *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
void            ferry_control_release                (FerryControl         *self);
void            ferry_control_abort                  (FerryControl         *self,
                                                      const GError         *reason);

gint64          ferry_parse_size_reply               (const char           *text);
GDateTime      *ferry_parse_mdtm_reply               (const char           *text);
char           *ferry_parse_pwd_reply                (const char           *text);

G_END_DECLS
