/* ferry-transfer-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ferry-ftp.h"

G_BEGIN_DECLS

#define FERRY_TYPE_TRANSFER_ROW (ferry_transfer_row_get_type ())
G_DECLARE_FINAL_TYPE (FerryTransferRow, ferry_transfer_row, FERRY, TRANSFER_ROW, GtkWidget)

GtkWidget     *ferry_transfer_row_new          (void);
FerryTransfer *ferry_transfer_row_get_transfer (FerryTransferRow *self);
void           ferry_transfer_row_set_transfer (FerryTransferRow *self,
                                                FerryTransfer    *transfer);

G_END_DECLS
