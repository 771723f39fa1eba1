/* ferry-data-channel.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-control.h"

G_BEGIN_DECLS

#define FERRY_TYPE_DATA_CHANNEL (ferry_data_channel_get_type ())
G_DECLARE_FINAL_TYPE (FerryDataChannel, ferry_data_channel, FERRY, DATA_CHANNEL, GObject)

void              ferry_data_channel_open_async      (FerryControl         *control,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
FerryDataChannel *ferry_data_channel_open_finish     (GAsyncResult         *result,
                                                      GError              **error);
GIOStream        *ferry_data_channel_get_stream      (FerryDataChannel     *self);
GSocket          *ferry_data_channel_get_socket      (FerryDataChannel     *self);
GCancellable     *ferry_data_channel_get_cancellable (FerryDataChannel     *self);
void              ferry_data_channel_close           (FerryDataChannel     *self);

gboolean          ferry_parse_epsv_reply             (const char           *text,
                                                      guint16              *port,
                                                      GError              **error);
gboolean          ferry_parse_pasv_reply             (const char           *text,
                                                      guint8                address[4],
                                                      guint16              *port,
                                                      GError              **error);

G_END_DECLS
