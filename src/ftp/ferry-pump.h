/* ferry-pump.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * FerryPumpDirection:
 * @FERRY_PUMP_RECEIVE: from the socket into the file
 * @FERRY_PUMP_SEND: from the file into the socket
 */
typedef enum
{
  FERRY_PUMP_RECEIVE,
  FERRY_PUMP_SEND,
} FerryPumpDirection;

typedef struct _FerryPump FerryPump;

#define FERRY_TYPE_PUMP (ferry_pump_get_type ())

GType      ferry_pump_get_type           (void) G_GNUC_CONST;
FerryPump *ferry_pump_new                (FerryPumpDirection    direction,
                                          GSocket              *socket,
                                          int                   file_fd,
                                          gint64                limit,
                                          guint                 inactivity_timeout,
                                          GError              **error);
FerryPump *ferry_pump_ref                (FerryPump            *self);
void       ferry_pump_unref              (FerryPump            *self);
void       ferry_pump_run_async          (FerryPump            *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean   ferry_pump_run_finish         (FerryPump            *self,
                                          GAsyncResult         *result,
                                          GError              **error);
gint64     ferry_pump_get_moved          (FerryPump            *self);
gboolean   ferry_pump_get_overflow       (FerryPump            *self);
gboolean   ferry_pump_get_local_failed   (FerryPump            *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryPump, ferry_pump_unref)

G_END_DECLS
