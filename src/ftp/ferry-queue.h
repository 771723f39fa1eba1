/* ferry-queue.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-transfer.h"

G_BEGIN_DECLS

#define FERRY_TYPE_QUEUE (ferry_queue_get_type ())
G_DECLARE_FINAL_TYPE (FerryQueue, ferry_queue, FERRY, QUEUE, GObject)

FerryQueue *ferry_queue_new                    (void);
void        ferry_queue_add                    (FerryQueue    *self,
                                                FerryTransfer *transfer);
void        ferry_queue_remove                 (FerryQueue    *self,
                                                FerryTransfer *transfer);
void        ferry_queue_clear_finished         (FerryQueue    *self);
guint       ferry_queue_get_max_parallel       (FerryQueue    *self);
void        ferry_queue_set_max_parallel       (FerryQueue    *self,
                                                guint          max_parallel);
gboolean    ferry_queue_get_resume_on_reconnect (FerryQueue   *self);
void        ferry_queue_set_resume_on_reconnect (FerryQueue   *self,
                                                gboolean       resume);
guint       ferry_queue_get_n_active           (FerryQueue    *self);
gint64      ferry_queue_get_total_size         (FerryQueue    *self);
gint64      ferry_queue_get_bytes_done         (FerryQueue    *self);
double      ferry_queue_get_fraction           (FerryQueue    *self);
double      ferry_queue_get_speed              (FerryQueue    *self);
gint64      ferry_queue_get_eta                (FerryQueue    *self);
gboolean    ferry_queue_get_busy               (FerryQueue    *self);
guint       ferry_queue_get_n_busy             (FerryQueue    *self);

G_END_DECLS
