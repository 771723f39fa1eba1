/* ferry-transfer.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-control.h"
#include "ferry-pool.h"
#include "ferry-site.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_TRANSFER_DOWNLOAD,
  FERRY_TRANSFER_UPLOAD,
} FerryTransferDirection;

typedef enum
{
  FERRY_TRANSFER_QUEUED,
  FERRY_TRANSFER_CONNECTING,
  FERRY_TRANSFER_TRANSFERRING,
  FERRY_TRANSFER_PAUSED,
  FERRY_TRANSFER_INTERRUPTED,
  FERRY_TRANSFER_RETRYING,
  FERRY_TRANSFER_VERIFYING,
  FERRY_TRANSFER_DONE,
  FERRY_TRANSFER_FAILED,
  FERRY_TRANSFER_CANCELLED,
} FerryTransferState;

/**
 * FerryConflict:
 * @FERRY_CONFLICT_FAIL: a remote file that is not ours to append to fails the transfer
 * @FERRY_CONFLICT_RESTART: start over from the first byte instead
 *
 * What an upload does when the remote file is bigger than the local one or
 * its start is not our data.
 */
typedef enum
{
  FERRY_CONFLICT_FAIL,
  FERRY_CONFLICT_RESTART,
} FerryConflict;

#define FERRY_TYPE_TRANSFER (ferry_transfer_get_type ())
G_DECLARE_FINAL_TYPE (FerryTransfer, ferry_transfer, FERRY, TRANSFER, GObject)

FerryTransfer         *ferry_transfer_new_download        (FerrySite            *site,
                                                           const char           *remote_path,
                                                           GFile                *local_file);
FerryTransfer         *ferry_transfer_new_upload          (FerrySite            *site,
                                                           GFile                *local_file,
                                                           const char           *remote_path);
FerryTransferDirection ferry_transfer_get_direction       (FerryTransfer        *self);
FerrySite             *ferry_transfer_get_site            (FerryTransfer        *self);
GFile                 *ferry_transfer_get_local_file      (FerryTransfer        *self);
const char            *ferry_transfer_get_remote_path     (FerryTransfer        *self);
const char            *ferry_transfer_get_name            (FerryTransfer        *self);
FerryTransferState     ferry_transfer_get_state           (FerryTransfer        *self);
gint64                 ferry_transfer_get_total_size      (FerryTransfer        *self);
gint64                 ferry_transfer_get_bytes_done      (FerryTransfer        *self);
double                 ferry_transfer_get_fraction        (FerryTransfer        *self);
double                 ferry_transfer_get_speed           (FerryTransfer        *self);
gint64                 ferry_transfer_get_eta             (FerryTransfer        *self);
guint                  ferry_transfer_get_attempt         (FerryTransfer        *self);
guint                  ferry_transfer_get_retry_in        (FerryTransfer        *self);
const GError          *ferry_transfer_get_error           (FerryTransfer        *self);
const char            *ferry_transfer_get_status_text     (FerryTransfer        *self);
const char            *ferry_transfer_get_log             (FerryTransfer        *self);
gboolean               ferry_transfer_is_finished         (FerryTransfer        *self);
gboolean               ferry_transfer_can_resume          (FerryTransfer        *self);

gboolean               ferry_transfer_get_resume_on_reconnect (FerryTransfer    *self);
void                   ferry_transfer_set_resume_on_reconnect (FerryTransfer    *self,
                                                           gboolean              resume);
guint                  ferry_transfer_get_retry_limit     (FerryTransfer        *self);
void                   ferry_transfer_set_retry_limit     (FerryTransfer        *self,
                                                           guint                 limit);
void                   ferry_transfer_set_retry_delays    (FerryTransfer        *self,
                                                           guint                 initial_seconds,
                                                           guint                 max_seconds);
void                   ferry_transfer_set_timeouts        (FerryTransfer        *self,
                                                           guint                 reply_seconds,
                                                           guint                 inactivity_seconds);
void                   ferry_transfer_set_conflict        (FerryTransfer        *self,
                                                           FerryConflict         conflict);
void                   ferry_transfer_set_remote_absent   (FerryTransfer        *self);
void                   ferry_transfer_set_wait_for_slot   (FerryTransfer        *self,
                                                           gboolean              wait);
void                   ferry_transfer_set_expected_size   (FerryTransfer        *self,
                                                           gint64                size);
void                   ferry_transfer_set_allow_resume    (FerryTransfer        *self,
                                                           gboolean              allow);
void                   ferry_transfer_set_pool            (FerryTransfer        *self,
                                                           FerryPool            *pool);

void                   ferry_transfer_start               (FerryTransfer        *self);
void                   ferry_transfer_pause               (FerryTransfer        *self);
void                   ferry_transfer_resume              (FerryTransfer        *self);
void                   ferry_transfer_cancel              (FerryTransfer        *self);

void                   ferry_transfer_run_async           (FerryTransfer        *self,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
gboolean               ferry_transfer_run_finish          (FerryTransfer        *self,
                                                           GAsyncResult         *result,
                                                           GError              **error);

G_END_DECLS
