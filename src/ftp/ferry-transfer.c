/* ferry-transfer.c: one file moved each way, resumed from the byte it stopped at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each try is an Attempt: its own control connection, data channel, local
 * stream and buffers, and its own cancellable.  When a try ends, whatever its
 * callbacks still bring back is dropped by checking attempt->done, so a late
 * callback from a dead connection can never touch the file of the next one.
 *
 * Downloads go to "name.ferry-part" with "name.ferry-part.info" beside it,
 * recording the remote size and time seen first.  The part file becomes the
 * target by rename(2) only when the final reply was 2yz, the data reached
 * EOF and the byte count equals SIZE; before a resume the recorded identity
 * must still hold and the 64 KiB before the offset must equal the local bytes.
 */

#define G_LOG_DOMAIN "ferry-transfer"

#include "config.h"

#include <gio/gfiledescriptorbased.h>
#include <glib/gi18n-lib.h>
#include <inttypes.h>
#include <string.h>

#include "ferry-data-channel.h"
#include "ferry-ftp-enums.h"
#include "ferry-ftp-error.h"
#include "ferry-pool.h"
#include "ferry-pump.h"
#include "ferry-transfer.h"

#define N_BUFFERS 4
#define BUFFER_SIZE (1024 * 1024)
#define OVERLAP_SIZE (64 * 1024)
/* Files up to this size are fetched whole instead of resumed: checking a
 * resume (MDTM, a record, the overlap) costs more than the bytes. */
#define SMALL_FILE_SIZE (256 * 1024)
#define NOTIFY_INTERVAL_MS 100
#define SPEED_INTERVAL_US (500 * G_TIME_SPAN_MILLISECOND)
#define MAX_LOG_SIZE (256 * 1024)
#define PART_SUFFIX ".ferry-part"
#define INFO_SUFFIX ".info"

typedef enum
{
  HASH_NONE,
  HASH_SHA256,
  HASH_SHA1,
  HASH_MD5,
  HASH_CRC32,
} HashKind;

typedef struct
{
  guint8 *data;
  gsize   start;
  gsize   len;
} Buffer;

typedef struct
{
  FerryTransfer    *self;            /* owned */
  GCancellable     *cancellable;
  FerryControl     *control;
  FerryDataChannel *channel;
  GFileIOStream    *file_stream;     /* download: the part file */
  GInputStream     *file_input;      /* upload: the local file */
  FerryPump        *pump;            /* the bulk of the bytes, in its own thread */
  gint64            pump_start;      /* position when the pump began */
  guint8           *overlap;         /* local bytes to compare */
  guint8           *memory;          /* a small file: all of it (download: until it is whole) */
  gsize             memory_len;      /* upload: bytes in memory */
  Buffer            buffers[N_BUFFERS];
  guint             head;            /* next buffer to write */
  guint             n_full;
  guint             timer_id;        /* inactivity */

  gint64            offset;          /* where this try starts */
  gint64            position;        /* bytes written locally (download) / sent (upload) */
  gint64            queued;          /* download: end of the bytes received so far */
  gint64            verify_from;     /* overlap: first byte to compare */
  gint64            verify_left;     /* overlap bytes still to compare */
  gint64            remote_size;
  GDateTime        *remote_mtime;
  gint64            local_size;      /* upload */
  HashKind          hash;
  GError           *stop_error;      /* download: why it ends once the bytes are kept */

  guint             done : 1;
  guint             reused : 1;      /* the control came from the pool */
  guint             reading : 1;
  guint             writing : 1;
  guint             eof : 1;
  guint             final_ok : 1;
  guint             restarted : 1;   /* remote changed: this try began again at 0 */
  guint             no_pump : 1;     /* the pump cannot run: stay on the main loop */
  guint             have_record : 1; /* download: name.ferry-part.info exists */
  guint             size_hinted : 1; /* remote_size came from the listing, not SIZE */
  guint             prepare_waiting : 1; /* an earlier try's pump still writes the part */
} Attempt;

struct _FerryTransfer
{
  GObject                 parent_instance;

  /* Owned */
  FerrySite              *site;
  char                   *remote_path;
  GFile                  *local_file;
  GFile                  *part_file;
  GFile                  *info_file;
  char                   *name;
  GError                 *error;
  char                   *status_text;
  GString                *log;
  Attempt                *attempt;
  GTask                  *run_task;
  FerryPool              *pool;
  const char             *restart_reason;     /* why force_restart, translated */

  FerryTransferDirection  direction;
  FerryTransferState      state;
  FerryConflict           conflict;
  gint64                  total_size;
  gint64                  expected_size;      /* from a listing, -1: none */
  gint64                  bytes_done;
  gint64                  notified_bytes;
  gint64                  speed_bytes;
  gint64                  speed_time;
  gint64                  bytes_at_try;
  double                  speed;
  gint64                  eta;
  guint                   attempt_count;
  guint                   failures;
  guint                   retry_in;
  guint                   retry_id;
  guint                   notify_id;
  guint                   retry_limit;
  guint                   retry_initial;
  guint                   retry_max;
  guint                   pumps_running;      /* of this try and of ended ones */
  guint                   reply_timeout;
  guint                   inactivity_timeout;
  guint                   resume_on_reconnect : 1;
  guint                   allow_resume : 1;
  guint                   pause_requested : 1;
  guint                   cancel_requested : 1;
  guint                   started_once : 1;
  guint                   force_restart : 1;  /* the remote changed under a resume */
  guint                   no_rest : 1;        /* the server refused REST */
  guint                   wait_for_slot : 1;  /* a queue starts it: resume means QUEUED */
  guint                   remote_absent : 1;  /* upload: the caller knows nothing is there */
};

G_DEFINE_FINAL_TYPE (FerryTransfer, ferry_transfer, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTION,
  PROP_SITE,
  PROP_LOCAL_FILE,
  PROP_REMOTE_PATH,
  PROP_NAME,
  PROP_STATE,
  PROP_TOTAL_SIZE,
  PROP_BYTES_DONE,
  PROP_FRACTION,
  PROP_SPEED,
  PROP_ETA,
  PROP_ATTEMPT,
  PROP_RETRY_IN,
  PROP_ERROR,
  PROP_STATUS_TEXT,
  PROP_FINISHED,
  PROP_CAN_RESUME,
  PROP_RESUME_ON_RECONNECT,
  PROP_RETRY_LIMIT,
  N_PROPS
};

enum {
  LOG_LINE,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void ferry_transfer_begin_attempt (FerryTransfer *self);
static void attempt_fail (Attempt *attempt, GError *error);
static void download_read_next (Attempt *attempt);
static void download_write_next (Attempt *attempt);
static void upload_read_next (Attempt *attempt);
static void upload_write_next (Attempt *attempt);
static void send_stor (Attempt *attempt);

/* --- small helpers ------------------------------------------------------ */

static void
ferry_transfer_log (FerryTransfer *self,
                    FerryLogKind   kind,
                    const char    *text)
{
  if (self->log->len > MAX_LOG_SIZE)
    {
      const char *cut = strchr (self->log->str + self->log->len / 2, '\n');
      g_string_erase (self->log, 0, cut != NULL ? cut - self->log->str + 1 : self->log->len / 2);
    }

  g_string_append_printf (self->log, "%s %s\n",
                          kind == FERRY_LOG_SENT ? ">" : kind == FERRY_LOG_RECEIVED ? "<" :
                          kind == FERRY_LOG_ERROR ? "!" : "*", text);
  g_signal_emit (self, signals [LOG_LINE], 0, kind, text);
}

static void
ferry_transfer_logf (FerryTransfer *self,
                     const char    *format,
                     ...) G_GNUC_PRINTF (2, 3);

static void
ferry_transfer_logf (FerryTransfer *self,
                     const char    *format,
                     ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_debug ("%s: %s", self->name, text);
  ferry_transfer_log (self, FERRY_LOG_INFO, text);
}

static void
control_log_cb (FerryControl  *control,
                FerryLogKind   kind,
                const char    *text,
                FerryTransfer *self)
{
  ferry_transfer_log (self, kind, text);
}

static void
update_status_text (FerryTransfer *self)
{
  g_autofree char *text = NULL;

  switch (self->state)
    {
    case FERRY_TRANSFER_QUEUED:
      text = g_strdup (C_("transfer state", "Queued"));
      break;
    case FERRY_TRANSFER_CONNECTING:
      text = g_strdup (C_("transfer state", "Connecting…"));
      break;
    case FERRY_TRANSFER_TRANSFERRING:
      text = g_strdup (self->direction == FERRY_TRANSFER_DOWNLOAD ?
                       C_("transfer state", "Downloading") : C_("transfer state", "Uploading"));
      break;
    case FERRY_TRANSFER_PAUSED:
      text = g_strdup (C_("transfer state", "Paused"));
      break;
    case FERRY_TRANSFER_INTERRUPTED:
      text = g_strdup (C_("transfer state", "Interrupted"));
      break;
    case FERRY_TRANSFER_RETRYING:
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Retrying in %u second…",
                                           "Retrying in %u seconds…", self->retry_in),
                              self->retry_in);
      break;
    case FERRY_TRANSFER_VERIFYING:
      text = g_strdup (C_("transfer state", "Verifying…"));
      break;
    case FERRY_TRANSFER_DONE:
      text = g_strdup (C_("transfer state", "Done"));
      break;
    case FERRY_TRANSFER_FAILED:
      /* Translators: %s is the reason, e.g. "550 No such file" */
      text = g_strdup_printf (_("Failed: %s"), self->error ? self->error->message : "");
      break;
    case FERRY_TRANSFER_CANCELLED:
      text = g_strdup (C_("transfer state", "Cancelled"));
      break;
    default:
      g_assert_not_reached ();
    }

  if (g_strcmp0 (text, self->status_text) == 0)
    return;

  g_free (self->status_text);
  self->status_text = g_steal_pointer (&text);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATUS_TEXT]);
}

static gboolean
state_is_finished (FerryTransferState state)
{
  return state == FERRY_TRANSFER_DONE || state == FERRY_TRANSFER_FAILED ||
         state == FERRY_TRANSFER_CANCELLED;
}

static gboolean
state_is_stopped (FerryTransferState state)
{
  return state_is_finished (state) || state == FERRY_TRANSFER_PAUSED ||
         state == FERRY_TRANSFER_INTERRUPTED;
}

static void
flush_progress (FerryTransfer *self)
{
  if (self->notified_bytes == self->bytes_done)
    return;

  self->notified_bytes = self->bytes_done;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BYTES_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FRACTION]);
}

static void
set_speed (FerryTransfer *self,
           double         speed)
{
  gint64 eta = -1;

  if (speed > 0 && self->total_size >= 0 && self->bytes_done <= self->total_size)
    eta = (gint64) ((self->total_size - self->bytes_done) / speed + 0.5);

  if (self->speed != speed)
    {
      self->speed = speed;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SPEED]);
    }
  if (self->eta != eta)
    {
      self->eta = eta;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ETA]);
    }
}

/* Progress is counted on every chunk but told at most every 100 ms, as
 * nautilus does, so a fast transfer cannot flood the main loop with
 * redraws. */
static gboolean
notify_timeout_cb (gpointer user_data)
{
  FerryTransfer *self = user_data;
  gint64 now = g_get_monotonic_time ();

  /* A pump counts in its own thread; this is where the count is read. */
  if (self->attempt != NULL && self->attempt->pump != NULL)
    self->bytes_done = self->attempt->pump_start + ferry_pump_get_moved (self->attempt->pump);

  flush_progress (self);

  if (now - self->speed_time >= SPEED_INTERVAL_US)
    {
      double instant = (self->bytes_done - self->speed_bytes) * (double) G_USEC_PER_SEC /
                       (now - self->speed_time);
      double smoothed = self->speed > 0 ? 0.7 * self->speed + 0.3 * instant : instant;

      set_speed (self, MAX (smoothed, 0));
      self->speed_bytes = self->bytes_done;
      self->speed_time = now;
    }

  return G_SOURCE_CONTINUE;
}

static void
set_state (FerryTransfer      *self,
           FerryTransferState  state)
{
  gboolean was_finished, was_stopped;

  if (self->state == state)
    return;

  was_finished = state_is_finished (self->state);
  was_stopped = state_is_stopped (self->state);
  self->state = state;

  if (state == FERRY_TRANSFER_TRANSFERRING)
    {
      if (self->notify_id == 0)
        {
          self->speed_time = g_get_monotonic_time ();
          self->speed_bytes = self->bytes_done;
          self->notify_id = g_timeout_add (NOTIFY_INTERVAL_MS, notify_timeout_cb, self);
        }
    }
  else
    {
      g_clear_handle_id (&self->notify_id, g_source_remove);
      flush_progress (self);
      set_speed (self, 0);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_STATE]);
  update_status_text (self);
  if (was_finished != state_is_finished (state))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FINISHED]);
  if (was_stopped != state_is_stopped (state) || was_finished != state_is_finished (state))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CAN_RESUME]);

  if (state_is_stopped (state) && self->run_task != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->run_task);

      if (state == FERRY_TRANSFER_DONE)
        g_task_return_boolean (task, TRUE);
      else if (self->error != NULL && state != FERRY_TRANSFER_CANCELLED &&
               state != FERRY_TRANSFER_PAUSED)
        g_task_return_error (task, g_error_copy (self->error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 state == FERRY_TRANSFER_PAUSED ? _("The transfer was paused")
                                                                : _("The transfer was cancelled"));
    }
}

static void
set_error (FerryTransfer *self,
           const GError  *error)
{
  if (self->error == NULL && error == NULL)
    return;

  g_clear_error (&self->error);
  if (error != NULL)
    self->error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ERROR]);
}

static void
set_total_size (FerryTransfer *self,
                gint64         size)
{
  if (self->total_size == size)
    return;

  self->total_size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TOTAL_SIZE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FRACTION]);
}

static void
set_bytes_done (FerryTransfer *self,
                gint64         bytes)
{
  self->bytes_done = bytes;
  /* Jumps (a restart at 0, a resume far along) are told at once; steady
   * progress waits for the timer. */
  if (self->notify_id == 0)
    flush_progress (self);
}

static void
set_attempt_count (FerryTransfer *self,
                   guint          count)
{
  if (self->attempt_count == count)
    return;

  self->attempt_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ATTEMPT]);
}

static GError *
local_error (GError     *error,
             const char *what)
{
  GError *wrapped;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  wrapped = g_error_new (FERRY_FTP_ERROR,
                         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ?
                         FERRY_FTP_ERROR_NO_SPACE : FERRY_FTP_ERROR_LOCAL,
                         "%s: %s", what, error->message);
  g_error_free (error);
  return wrapped;
}

/* --- attempts ----------------------------------------------------------- */

static Attempt *
attempt_new (FerryTransfer *self)
{
  Attempt *attempt = g_rc_box_new0 (Attempt);

  attempt->self = g_object_ref (self);
  attempt->cancellable = g_cancellable_new ();
  attempt->remote_size = -1;
  attempt->local_size = -1;

  return attempt;
}

static void
attempt_clear (Attempt *attempt)
{
  g_clear_handle_id (&attempt->timer_id, g_source_remove);
  if (attempt->channel != NULL)
    ferry_data_channel_close (attempt->channel);
  g_clear_object (&attempt->channel);
  if (attempt->control != NULL)
    {
      g_signal_handlers_disconnect_by_data (attempt->control, attempt->self);
      ferry_control_abort (attempt->control, NULL);
    }
  g_clear_object (&attempt->control);
  g_clear_object (&attempt->file_stream);
  g_clear_object (&attempt->file_input);
}

static void
attempt_free_contents (Attempt *attempt)
{
  attempt_clear (attempt);
  g_clear_object (&attempt->cancellable);
  g_clear_pointer (&attempt->remote_mtime, g_date_time_unref);
  g_clear_pointer (&attempt->overlap, g_free);
  g_clear_pointer (&attempt->memory, g_free);
  g_clear_pointer (&attempt->pump, ferry_pump_unref);
  g_clear_error (&attempt->stop_error);
  for (guint i = 0; i < N_BUFFERS; i++)
    g_free (attempt->buffers[i].data);
  g_clear_object (&attempt->self);
}

static Attempt *
attempt_ref (Attempt *attempt)
{
  return g_rc_box_acquire (attempt);
}

static void
attempt_unref (Attempt *attempt)
{
  g_rc_box_release_full (attempt, (GDestroyNotify) attempt_free_contents);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Attempt, attempt_unref)

/* Ends the try: no callback of it does anything from here on. */
static void
attempt_finish (Attempt *attempt)
{
  FerryTransfer *self = attempt->self;

  if (attempt->done)
    return;

  attempt->done = TRUE;
  g_cancellable_cancel (attempt->cancellable);
  attempt_clear (attempt);

  if (self->attempt == attempt)
    {
      self->attempt = NULL;
      attempt_unref (attempt);
    }
}

static gboolean
retry_tick_cb (gpointer user_data)
{
  FerryTransfer *self = user_data;

  if (self->retry_in > 1)
    {
      self->retry_in--;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_IN]);
      update_status_text (self);
      return G_SOURCE_CONTINUE;
    }

  self->retry_id = 0;
  self->retry_in = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_IN]);
  ferry_transfer_begin_attempt (self);
  return G_SOURCE_REMOVE;
}

static void
remove_partial (FerryTransfer *self)
{
  /* Deleting two small local files: quick, and the user just asked for it. */
  if (self->part_file != NULL)
    g_file_delete (self->part_file, NULL, NULL);
  if (self->info_file != NULL)
    g_file_delete (self->info_file, NULL, NULL);
}

static void
attempt_succeed (Attempt *attempt)
{
  FerryTransfer *self = attempt->self;

  /* The next transfer to this login skips connecting and logging in. */
  if (self->pool != NULL && attempt->control != NULL &&
      ferry_control_get_connected (attempt->control))
    {
      g_signal_handlers_disconnect_by_data (attempt->control, self);
      ferry_pool_give (self->pool, self->site, attempt->control);
      g_clear_object (&attempt->control);
    }

  attempt_finish (attempt);
  set_error (self, NULL);
  self->failures = 0;
  set_state (self, FERRY_TRANSFER_DONE);
}

/* The remote changed under a resume, or REST was refused: this try ends
 * and the next begins at once, from byte 0.  Not a failure. */
static void
attempt_restart (Attempt *attempt)
{
  FerryTransfer *self = g_object_ref (attempt->self);

  attempt_finish (attempt);
  ferry_transfer_begin_attempt (self);
  g_object_unref (self);
}

/* Every way a try ends badly comes through here and is sorted: paused,
 * cancelled, worth another try, or final. */
static void
attempt_fail (Attempt *attempt,
              GError  *error)
{
  g_autoptr(GError) owned = error;
  FerryTransfer *self = g_object_ref (attempt->self);
  gboolean stale = attempt->reused && self->bytes_done == self->bytes_at_try;

  if (attempt->done)
    {
      g_object_unref (self);
      return;
    }

  attempt_finish (attempt);

  if (stale && !self->cancel_requested && !self->pause_requested &&
      ferry_ftp_error_is_transient (owned))
    {
      /* A pooled connection the server had closed while it idled: not the
       * transfer's failure; try at once on a fresh one. */
      ferry_transfer_logf (self, "%s", _("The kept connection had gone; connecting again"));
      ferry_transfer_begin_attempt (self);
    }
  else if (self->cancel_requested)
    {
      self->cancel_requested = FALSE;
      if (self->direction == FERRY_TRANSFER_DOWNLOAD)
        remove_partial (self);
      ferry_transfer_logf (self, "%s", _("Cancelled by the user"));
      set_state (self, FERRY_TRANSFER_CANCELLED);
    }
  else if (self->pause_requested)
    {
      self->pause_requested = FALSE;
      ferry_transfer_logf (self, "%s", _("Paused by the user; the partial file is kept"));
      set_state (self, FERRY_TRANSFER_PAUSED);
    }
  else if (ferry_ftp_error_is_transient (owned))
    {
      set_error (self, owned);
      ferry_transfer_log (self, FERRY_LOG_ERROR, owned->message);

      /* lftp's rule: a try that moved bytes was not a failure. */
      if (self->bytes_done > self->bytes_at_try)
        self->failures = 0;
      self->failures++;

      if (!self->resume_on_reconnect)
        set_state (self, FERRY_TRANSFER_INTERRUPTED);
      else if (self->failures > self->retry_limit)
        {
          g_autoptr(GError) final = g_error_new (owned->domain, owned->code,
                                                 g_dngettext (GETTEXT_PACKAGE,
                                                              "%s (gave up after %u try)",
                                                              "%s (gave up after %u tries)",
                                                              self->failures),
                                                 owned->message, self->failures);
          set_error (self, final);
          set_state (self, FERRY_TRANSFER_FAILED);
        }
      else
        {
          guint delay = self->retry_initial;

          for (guint i = 1; i < self->failures && delay < self->retry_max; i++)
            delay *= 2;
          delay = MAX (1, MIN (delay, self->retry_max));

          self->retry_in = delay;
          g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_IN]);
          ferry_transfer_logf (self, g_dngettext (GETTEXT_PACKAGE,
                                                  "Reconnecting in %u second",
                                                  "Reconnecting in %u seconds", delay),
                               delay);
          set_state (self, FERRY_TRANSFER_RETRYING);
          /* Not g_timeout_add_seconds(): it may fire up to a second late,
           * and the countdown would skip or linger. */
          self->retry_id = g_timeout_add (1000, retry_tick_cb, self);
        }
    }
  else
    {
      set_error (self, owned);
      ferry_transfer_log (self, FERRY_LOG_ERROR, owned->message);
      set_state (self, FERRY_TRANSFER_FAILED);
    }

  g_object_unref (self);
}

static void
attempt_inactive (Attempt *attempt)
{
  if (attempt->stop_error != NULL)
    {
      /* Already ending, and the server went quiet: no more bytes to keep. */
      attempt_fail (attempt, g_steal_pointer (&attempt->stop_error));
      return;
    }
  attempt_fail (attempt,
                g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                             g_dngettext (GETTEXT_PACKAGE,
                                          "No data moved for %u second",
                                          "No data moved for %u seconds",
                                          attempt->self->inactivity_timeout),
                             attempt->self->inactivity_timeout));
}

static gboolean
inactivity_cb (gpointer user_data)
{
  Attempt *attempt = user_data;

  attempt->timer_id = 0;
  attempt_inactive (attempt);
  return G_SOURCE_REMOVE;
}

static void
attempt_touch (Attempt *attempt)
{
  g_clear_handle_id (&attempt->timer_id, g_source_remove);
  if (attempt->self->inactivity_timeout > 0)
    attempt->timer_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT,
                                                    attempt->self->inactivity_timeout,
                                                    inactivity_cb, attempt_ref (attempt),
                                                    (GDestroyNotify) attempt_unref);
}

/* The buffer the next read fills.  Buffers are allocated on first use: a
 * small file or a pumped one never touches most of them. */
static Buffer *
ring_next_free (Attempt *attempt)
{
  Buffer *buffer = &attempt->buffers[(attempt->head + attempt->n_full) % N_BUFFERS];

  if (buffer->data == NULL)
    buffer->data = g_malloc (BUFFER_SIZE);
  return buffer;
}

/* A callback's first words: is the try it belongs to still on? */
#define ATTEMPT_ALIVE(attempt) (!(attempt)->done)

/* --- hashing ------------------------------------------------------------ */

static guint32 crc_table[256];

static void
crc32_init (void)
{
  for (guint32 i = 0; i < 256; i++)
    {
      guint32 c = i;
      for (guint k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      crc_table[i] = c;
    }
}

static guint
hash_hex_length (HashKind kind)
{
  switch (kind)
    {
    case HASH_SHA256:
      return 64;
    case HASH_SHA1:
      return 40;
    case HASH_MD5:
      return 32;
    case HASH_CRC32:
      return 8;
    case HASH_NONE:
    default:
      return 0;
    }
}

static void
hash_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = g_object_get_data (G_OBJECT (task), "file");
  HashKind kind = GPOINTER_TO_UINT (task_data);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree guint8 *buffer = g_malloc (BUFFER_SIZE);
  g_autoptr(GError) error = NULL;
  guint32 crc = 0xffffffffu;
  gssize n;

  input = g_file_read (file, cancellable, &error);
  if (input == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (kind != HASH_CRC32)
    checksum = g_checksum_new (kind == HASH_SHA256 ? G_CHECKSUM_SHA256 :
                               kind == HASH_SHA1 ? G_CHECKSUM_SHA1 : G_CHECKSUM_MD5);

  while ((n = g_input_stream_read (G_INPUT_STREAM (input), buffer, BUFFER_SIZE,
                                   cancellable, &error)) > 0)
    {
      if (checksum != NULL)
        g_checksum_update (checksum, buffer, n);
      else
        for (gssize i = 0; i < n; i++)
          crc = crc_table[(crc ^ buffer[i]) & 0xff] ^ (crc >> 8);
    }

  if (n < 0)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (checksum != NULL)
    g_task_return_pointer (task, g_strdup (g_checksum_get_string (checksum)), g_free);
  else
    g_task_return_pointer (task, g_strdup_printf ("%08x", crc ^ 0xffffffffu), g_free);
}

static HashKind
pick_hash (FerryControl *control,
           const char  **command)
{
  FerryFeatures features = ferry_control_get_features (control);
  const char *algorithms = ferry_control_get_hash_algorithms (control);

  if (features & FERRY_FEATURE_XSHA256)
    {
      *command = "XSHA256";
      return HASH_SHA256;
    }
  if ((features & FERRY_FEATURE_HASH) && algorithms != NULL)
    {
      g_autofree char *upper = g_ascii_strup (algorithms, -1);

      *command = "HASH";
      if (strstr (upper, "SHA-256") != NULL)
        return HASH_SHA256;
      if (strstr (upper, "SHA-1") != NULL)
        return HASH_SHA1;
      if (strstr (upper, "MD5") != NULL)
        return HASH_MD5;
      if (strstr (upper, "CRC32") != NULL)
        return HASH_CRC32;
    }
  if (features & FERRY_FEATURE_XSHA1)
    {
      *command = "XSHA1";
      return HASH_SHA1;
    }
  if (features & FERRY_FEATURE_XMD5)
    {
      *command = "XMD5";
      return HASH_MD5;
    }
  if (features & FERRY_FEATURE_XCRC)
    {
      *command = "XCRC";
      return HASH_CRC32;
    }

  *command = NULL;
  return HASH_NONE;
}

static char *
find_hex_token (const char *text,
                guint       length)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \t\n", -1);

  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *w = words[i];
      gboolean hex = strlen (w) == length;

      for (guint k = 0; hex && k < length; k++)
        hex = g_ascii_isxdigit (w[k]);
      if (hex)
        return g_ascii_strdown (w, -1);
    }

  return NULL;
}

typedef struct
{
  Attempt *attempt;
  char    *remote;
  char    *local;
  guint    pending;
} VerifyData;

static void verify_finish (VerifyData *data);

static void
verify_data_free (VerifyData *data)
{
  attempt_unref (data->attempt);
  g_free (data->remote);
  g_free (data->local);
  g_free (data);
}

static void
verify_local_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  VerifyData *data = user_data;
  g_autoptr(GError) error = NULL;

  data->local = g_task_propagate_pointer (G_TASK (result), &error);
  if (data->local == NULL && ATTEMPT_ALIVE (data->attempt))
    {
      attempt_fail (data->attempt, local_error (g_steal_pointer (&error), _("cannot read the file to verify it")));
      data->pending--;
      if (data->pending == 0)
        verify_data_free (data);
      return;
    }

  data->pending--;
  if (data->pending == 0)
    verify_finish (data);
}

static void
verify_remote_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  VerifyData *data = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply != NULL && ferry_reply_get_class (reply) == 2)
    data->remote = find_hex_token (ferry_reply_get_text (reply),
                                   hash_hex_length (data->attempt->hash));

  data->pending--;
  if (data->pending == 0)
    verify_finish (data);
}

static void download_commit (Attempt *attempt);
static void upload_commit (Attempt *attempt);

static void
verify_finish (VerifyData *data)
{
  Attempt *attempt = data->attempt;
  FerryTransfer *self = attempt->self;

  if (!ATTEMPT_ALIVE (attempt))
    {
      verify_data_free (data);
      return;
    }

  if (data->remote == NULL)
    ferry_transfer_logf (self, "%s", _("The server did not give a usable hash; checked by size only"));
  else if (g_strcmp0 (data->remote, data->local) != 0)
    {
      /* The bytes are wrong although the count was right: start again from
       * the first byte rather than keep anything of this copy. */
      ferry_transfer_logf (self, _("The hash differs (server %s, local %s)"),
                           data->remote, data->local ? data->local : "?");
      if (self->direction == FERRY_TRANSFER_DOWNLOAD)
        remove_partial (self);
      attempt_fail (attempt, g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_VERIFY_FAILED,
                                          _("The finished file does not match the server’s hash")));
      verify_data_free (data);
      return;
    }
  else
    ferry_transfer_logf (self, _("Hash checked: %s"), data->local);

  if (self->direction == FERRY_TRANSFER_DOWNLOAD)
    download_commit (attempt);
  else
    upload_commit (attempt);
  verify_data_free (data);
}

static void
hash_reply_opts_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* OPTS HASH failing just means the default algorithm stays; the HASH
   * reply names the algorithm and the hex length check guards the rest. */
  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
}

/* Verifies the finished file with the server's hash command when FEAT
 * offered one, then commits. */
static void
attempt_verify (Attempt *attempt,
                GFile   *local)
{
  FerryTransfer *self = attempt->self;
  const char *command = NULL;
  g_autoptr(GTask) task = NULL;
  VerifyData *data;

  set_state (self, FERRY_TRANSFER_VERIFYING);

  attempt->hash = pick_hash (attempt->control, &command);
  if (attempt->hash == HASH_NONE)
    {
      if (self->direction == FERRY_TRANSFER_DOWNLOAD)
        download_commit (attempt);
      else
        upload_commit (attempt);
      return;
    }

  data = g_new0 (VerifyData, 1);
  data->attempt = attempt_ref (attempt);
  data->pending = 2;

  if (g_str_equal (command, "HASH"))
    ferry_control_send_async (attempt->control,
                              attempt->hash == HASH_SHA256 ? "OPTS HASH SHA-256" :
                              attempt->hash == HASH_SHA1 ? "OPTS HASH SHA-1" :
                              attempt->hash == HASH_MD5 ? "OPTS HASH MD5" : "OPTS HASH CRC32",
                              FERRY_EXPECT_ANY, attempt->cancellable, hash_reply_opts_cb, NULL);
  ferry_control_command_async (attempt->control, command, self->remote_path, FERRY_EXPECT_ANY,
                               attempt->cancellable, verify_remote_cb, data);

  task = g_task_new (NULL, attempt->cancellable, verify_local_cb, data);
  g_object_set_data_full (G_OBJECT (task), "file", g_object_ref (local), g_object_unref);
  g_task_set_task_data (task, GUINT_TO_POINTER (attempt->hash), NULL);
  g_task_run_in_thread (task, hash_file_thread);
}

/* --- downloads ---------------------------------------------------------- */

typedef struct
{
  GBytes    *contents;    /* a small file held in memory: to write first, or NULL */
  GIOStream *stream;      /* to close first, or NULL */
  GFile     *part;
  GFile     *target;
  GFile     *info;        /* the record to remove, or NULL */
} FinishData;

static void
finish_data_free (FinishData *data)
{
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_clear_object (&data->stream);
  g_clear_object (&data->part);
  g_clear_object (&data->target);
  g_clear_object (&data->info);
  g_free (data);
}

/* In a worker thread: the last local steps of a download, in one go. */
static void
download_finish_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  FinishData *data = task_data;
  g_autoptr(GError) error = NULL;

  /* Still written to the part file and renamed: a crash while writing must
   * not leave a short file under the real name. */
  if (data->contents != NULL &&
      !g_file_replace_contents (data->part, g_bytes_get_data (data->contents, NULL),
                                g_bytes_get_size (data->contents), NULL, FALSE,
                                G_FILE_CREATE_NONE, NULL, cancellable, &error))
    {
      g_task_return_error (task, local_error (g_steal_pointer (&error),
                                              _("cannot write the partial file")));
      return;
    }

  if (data->stream != NULL && !g_io_stream_close (data->stream, cancellable, &error))
    {
      g_task_return_error (task, local_error (g_steal_pointer (&error), _("cannot write the file")));
      return;
    }

  /* rename(2) within one folder: the target appears whole or not at all. */
  if (!g_file_move (data->part, data->target,
                    G_FILE_COPY_OVERWRITE | G_FILE_COPY_NO_FALLBACK_FOR_MOVE,
                    cancellable, NULL, NULL, &error))
    {
      g_task_return_error (task, local_error (g_steal_pointer (&error),
                                              _("cannot put the finished file in place")));
      return;
    }

  /* Done means nothing of the partial download is left to see.  A record
   * that cannot be removed does no harm: the next download of this name
   * without a part file writes a new one. */
  if (data->info != NULL && (data->contents == NULL || g_file_query_exists (data->info, NULL)) &&
      !g_file_delete (data->info, NULL, &error))
    g_debug ("cannot remove the partial download's record: %s", error->message);

  g_task_return_boolean (task, TRUE);
}

static void
download_finish_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (ATTEMPT_ALIVE (attempt))
        attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  if (!ATTEMPT_ALIVE (attempt))
    return;

  ferry_transfer_logf (attempt->self, "%s", _("Download complete and checked"));
  attempt_succeed (attempt);
}

static void
download_finish (Attempt   *attempt,
                 GIOStream *stream)
{
  FerryTransfer *self = attempt->self;
  g_autoptr(GTask) task = NULL;
  FinishData *data = g_new0 (FinishData, 1);

  data->stream = stream != NULL ? g_object_ref (stream) : NULL;
  data->part = g_object_ref (self->part_file);
  data->target = g_object_ref (self->local_file);
  if (attempt->memory != NULL)
    {
      /* Whether an old record lies there is looked at in the thread. */
      data->contents = g_bytes_new_take (g_steal_pointer (&attempt->memory), attempt->position);
      data->info = g_object_ref (self->info_file);
    }
  else if (attempt->have_record)
    data->info = g_object_ref (self->info_file);

  task = g_task_new (NULL, attempt->cancellable, download_finish_cb, attempt_ref (attempt));
  g_task_set_source_tag (task, download_finish);
  g_task_set_task_data (task, data, (GDestroyNotify) finish_data_free);
  g_task_run_in_thread (task, download_finish_thread);
}

static void
download_commit (Attempt *attempt)
{
  download_finish (attempt, NULL);
}

static void
download_close_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_io_stream_close_finish (G_IO_STREAM (object), result, &error))
    {
      if (ATTEMPT_ALIVE (attempt))
        attempt_fail (attempt, local_error (g_steal_pointer (&error), _("cannot write the file")));
      return;
    }

  if (!ATTEMPT_ALIVE (attempt))
    return;

  attempt_verify (attempt, attempt->self->part_file);
}

static void
download_stop_maybe_done (Attempt *attempt)
{
  if (attempt->reading || attempt->writing || attempt->n_full > 0)
    return;

  attempt_fail (attempt, g_steal_pointer (&attempt->stop_error));
}

/* A download try that cannot finish still keeps every byte it received:
 * what is left in the socket and in the buffers goes to the part file
 * before the try ends, so the next one resumes exactly where the server
 * stopped.  Failing at once would drop those bytes (a 426 is often read
 * before the data's last segment, and ending the try cancels a write in
 * progress), making the resume point a matter of timing. */
static void
download_stop (Attempt *attempt,
               GError  *error)
{
  FerryTransfer *self = attempt->self;

  if (!ATTEMPT_ALIVE (attempt) || attempt->stop_error != NULL)
    {
      g_error_free (error);
      return;
    }

  if (attempt->file_stream == NULL || attempt->memory != NULL ||
      self->pause_requested || self->cancel_requested ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      attempt_fail (attempt, error);
      return;
    }

  attempt->stop_error = error;
  download_stop_maybe_done (attempt);
}

static void download_maybe_complete (Attempt *attempt);

static void
download_recheck_size_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  gint64 size;

  size = ferry_control_size_finish (FERRY_CONTROL (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  if (error != NULL)
    {
      attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  attempt->remote_size = size;
  set_total_size (attempt->self, size >= 0 ? size : attempt->position);
  download_maybe_complete (attempt);
}

/* Complete only when the final reply was 2yz AND the data reached EOF AND
 * the count is right: EOF alone is what a dropped connection looks like. */
static void
download_maybe_complete (Attempt *attempt)
{
  FerryTransfer *self = attempt->self;
  const char *command = NULL;

  if (attempt->stop_error != NULL)
    {
      download_stop_maybe_done (attempt);
      return;
    }

  if (!attempt->eof || !attempt->final_ok || attempt->writing || attempt->n_full > 0)
    return;

  g_clear_handle_id (&attempt->timer_id, g_source_remove);

  if (attempt->verify_left > 0)
    {
      /* The server sent all of the file, and it ends before our part does:
       * the remote changed (without SIZE nothing told us earlier). */
      ferry_transfer_logf (self, "%s", _("The remote file ends before the resume point: "
                                         "the remote file changed"));
      self->force_restart = TRUE;
      self->restart_reason = _("the remote file is shorter than the local part");
      attempt_restart (attempt);
      return;
    }

  if (attempt->size_hinted && attempt->position != attempt->remote_size)
    {
      /* The listing is older than the file, or the data stopped short:
       * SIZE tells which. */
      attempt->size_hinted = FALSE;
      self->expected_size = -1;
      ferry_control_size_async (attempt->control, self->remote_path, attempt->cancellable,
                                download_recheck_size_cb, attempt_ref (attempt));
      return;
    }

  if (attempt->remote_size >= 0 && attempt->position != attempt->remote_size)
    {
      attempt_fail (attempt,
                    g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_INCOMPLETE,
                                 _("The server said the download was complete, but sent %"
                                   PRId64 " of %" PRId64 " bytes"),
                                 attempt->position, attempt->remote_size));
      return;
    }

  if (attempt->remote_size < 0)
    set_total_size (self, attempt->position);

  /* Without a hash to compare, (writing,) closing, renaming and removing
   * the record are one trip to a worker thread. */
  if (attempt->memory != NULL || pick_hash (attempt->control, &command) == HASH_NONE)
    {
      set_state (self, FERRY_TRANSFER_VERIFYING);
      download_finish (attempt, G_IO_STREAM (attempt->file_stream));
      return;
    }

  g_io_stream_close_async (G_IO_STREAM (attempt->file_stream), G_PRIORITY_DEFAULT,
                           attempt->cancellable, download_close_cb, attempt_ref (attempt));
}

static void
download_write_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  gsize written = 0;
  Buffer *buffer;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      if (ATTEMPT_ALIVE (attempt))
        attempt_fail (attempt, local_error (g_steal_pointer (&error), _("cannot write the file")));
      return;
    }

  if (!ATTEMPT_ALIVE (attempt))
    return;

  buffer = &attempt->buffers[attempt->head];
  attempt->position += buffer->len;
  set_bytes_done (attempt->self, attempt->position);
  buffer->len = 0;
  attempt->head = (attempt->head + 1) % N_BUFFERS;
  attempt->n_full--;
  attempt->writing = FALSE;

  download_write_next (attempt);
  download_read_next (attempt);
  download_maybe_complete (attempt);
}

static void
download_write_next (Attempt *attempt)
{
  GOutputStream *output;
  Buffer *buffer;

  if (attempt->writing || attempt->n_full == 0)
    return;

  buffer = &attempt->buffers[attempt->head];
  output = g_io_stream_get_output_stream (G_IO_STREAM (attempt->file_stream));
  attempt->writing = TRUE;
  g_output_stream_write_all_async (output, buffer->data + buffer->start, buffer->len,
                                   G_PRIORITY_DEFAULT, attempt->cancellable,
                                   download_write_cb, attempt_ref (attempt));
}

/* Nothing more will come on this data connection. */
static void
download_data_failed (Attempt *attempt,
                      GError  *error)
{
  attempt->eof = TRUE;

  if (attempt->stop_error != NULL)
    {
      g_error_free (error);
      download_stop_maybe_done (attempt);
      return;
    }

  /* A reset data connection: the server's 426 may follow; a new try
   * resumes after the bytes that did arrive. */
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_prefix_error (&error, "%s", _("The data connection failed: "));
  if (!ferry_ftp_error_is_transient (error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      GError *transient = g_error_new_literal (FERRY_FTP_ERROR, FERRY_FTP_ERROR_TRANSIENT,
                                               error->message);
      g_error_free (error);
      error = transient;
    }
  download_stop (attempt, error);
}

static void
download_data_ended (Attempt *attempt)
{
  attempt->eof = TRUE;
  ferry_data_channel_close (attempt->channel);
  if (attempt->stop_error != NULL)
    {
      download_stop_maybe_done (attempt);
      return;
    }
  download_maybe_complete (attempt);
}

static void
download_remote_grew (Attempt *attempt)
{
  FerryTransfer *self = attempt->self;

  if (attempt->size_hinted)
    {
      /* The listing was older than the file: ask SIZE next time. */
      self->expected_size = -1;
      attempt_restart (attempt);
      return;
    }

  /* More bytes than SIZE said: the file grew since we asked. */
  ferry_transfer_logf (self, "%s", _("The server sent more bytes than the file had: "
                                     "the remote file changed"));
  self->force_restart = TRUE;
  self->restart_reason = _("the remote file grew");
  attempt_restart (attempt);
}

static int
stream_fd (gpointer stream)
{
  if (!G_IS_FILE_DESCRIPTOR_BASED (stream))
    return -1;
  return g_file_descriptor_based_get_fd (G_FILE_DESCRIPTOR_BASED (stream));
}

/* The start of both pump callbacks: FALSE when the try is over, or the
 * pump failed in a way handled here (the file, or silence). */
static void download_prepare (Attempt *attempt);

/* Hands the rest of the data connection to a pump; the attempt counts as
 * reading and writing until @callback.  FALSE: no pump, stay on the main
 * loop. */
static gboolean
attempt_start_pump (Attempt             *attempt,
                    FerryPumpDirection   direction,
                    int                  file_fd,
                    gint64               limit,
                    GAsyncReadyCallback  callback)
{
  FerryTransfer *self = attempt->self;
  g_autoptr(GError) error = NULL;

  attempt->pump = ferry_pump_new (direction, ferry_data_channel_get_socket (attempt->channel),
                                  file_fd, limit, self->inactivity_timeout, &error);
  if (attempt->pump == NULL)
    {
      g_debug ("%s: no pump, moving the data on the main loop: %s", self->name, error->message);
      return FALSE;
    }

  attempt->pump_start = attempt->position;
  attempt->reading = TRUE;
  attempt->writing = TRUE;
  g_clear_handle_id (&attempt->timer_id, g_source_remove);
  self->pumps_running++;
  ferry_pump_run_async (attempt->pump, ferry_data_channel_get_cancellable (attempt->channel),
                        callback, attempt_ref (attempt));
  return TRUE;
}

/* A cancelled pump may still be finishing a write to the part file when
 * the next try starts: that try opens the part only once it is over, so a
 * late chunk can never land in a file that was cut or begun again. */
static void
transfer_pump_done (FerryTransfer *self)
{
  g_assert (self->pumps_running > 0);
  self->pumps_running--;

  if (self->pumps_running == 0 && self->attempt != NULL && self->attempt->prepare_waiting)
    {
      self->attempt->prepare_waiting = FALSE;
      download_prepare (self->attempt);
    }
}

static gboolean
attempt_pump_ended (Attempt       *attempt,
                    GAsyncResult  *result,
                    const char    *file_what,
                    gboolean      *ok,
                    GError       **error)
{
  FerryPump *pump = g_task_get_task_data (G_TASK (result));

  *ok = ferry_pump_run_finish (pump, result, error);
  transfer_pump_done (attempt->self);
  if (!ATTEMPT_ALIVE (attempt))
    return FALSE;

  attempt->reading = FALSE;
  attempt->writing = FALSE;
  attempt->position = attempt->queued = attempt->pump_start + ferry_pump_get_moved (pump);
  set_bytes_done (attempt->self, attempt->position);
  g_clear_pointer (&attempt->pump, ferry_pump_unref);

  if (!*ok && ferry_pump_get_local_failed (pump))
    attempt_fail (attempt, local_error (g_steal_pointer (error), file_what));
  else if (!*ok && g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    attempt_inactive (attempt);
  else
    return TRUE;
  return FALSE;
}

static void
download_pump_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  FerryPump *pump = g_task_get_task_data (G_TASK (result));
  gboolean ok;

  if (!attempt_pump_ended (attempt, result, _("cannot write the file"), &ok, &error))
    return;

  if (!ok)
    download_data_failed (attempt, g_steal_pointer (&error));
  else if (ferry_pump_get_overflow (pump))
    download_remote_grew (attempt);
  else
    {
      /* Still watched: the final reply may be slow to come. */
      attempt_touch (attempt);
      download_data_ended (attempt);
    }
}

/* Past the checks of the first bytes, the rest of a big download goes
 * from the socket to the file in the pump's thread.  Small files stay on
 * the main loop: a thread would cost more than it saves. */
/* FERRY_NO_PUMP=1 keeps every byte on the main loop, as files up to
 * SMALL_FILE_SIZE always are: the tests run the data-phase faults both ways. */
static gboolean
pump_disabled (void)
{
  static gsize value = 0;

  if (g_once_init_enter (&value))
    g_once_init_leave (&value, g_getenv ("FERRY_NO_PUMP") != NULL ? 2 : 1);
  return value == 2;
}

static gboolean
download_wants_pump (Attempt *attempt)
{
  return !attempt->no_pump && !pump_disabled () && attempt->verify_left == 0 && attempt->stop_error == NULL &&
         attempt->file_stream != NULL &&
         (attempt->remote_size < 0 || attempt->remote_size - attempt->queued > SMALL_FILE_SIZE);
}

static gboolean
download_start_pump (Attempt *attempt)
{
  gint64 limit = -1;
  int fd;

  if (attempt->remote_size >= 0)
    limit = attempt->remote_size - attempt->queued;

  fd = stream_fd (g_io_stream_get_output_stream (G_IO_STREAM (attempt->file_stream)));
  if (fd < 0)
    {
      attempt->no_pump = TRUE;
      return FALSE;
    }

  if (!attempt_start_pump (attempt, FERRY_PUMP_RECEIVE, fd, limit, download_pump_cb))
    {
      attempt->no_pump = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* The start of both read callbacks: the bytes read, or 0 when the read
 * ended the data (or the try is over) and there is nothing to take. */
static gssize
download_read_finish (Attempt      *attempt,
                      GObject      *object,
                      GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return 0;

  attempt->reading = FALSE;

  if (n < 0)
    {
      download_data_failed (attempt, g_steal_pointer (&error));
      return 0;
    }

  attempt_touch (attempt);

  if (n == 0)
    download_data_ended (attempt);
  return n;
}

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  FerryTransfer *self = attempt->self;
  Buffer *buffer;
  gssize n;

  n = download_read_finish (attempt, object, result);
  if (n == 0)
    return;

  buffer = &attempt->buffers[(attempt->head + attempt->n_full) % N_BUFFERS];
  buffer->start = 0;
  buffer->len = n;

  if (attempt->verify_left > 0)
    {
      gsize k = MIN ((gint64) n, attempt->verify_left);
      gsize at = attempt->offset - attempt->verify_from - attempt->verify_left;

      if (memcmp (buffer->data, attempt->overlap + at, k) != 0)
        {
          /* The bytes before the resume point are not what we hold: the
           * remote file changed in a way size and time did not show. */
          ferry_transfer_logf (self, "%s", _("The bytes before the resume point differ from the "
                                             "local copy: the remote file changed"));
          self->force_restart = TRUE;
          self->restart_reason = _("the bytes before the resume point changed");
          attempt_restart (attempt);
          return;
        }

      attempt->verify_left -= k;
      buffer->start = k;
      buffer->len = n - k;
      if (attempt->verify_left == 0)
        ferry_transfer_logf (self, _("The last %" PRId64 " bytes before the resume "
                                     "point match; resuming at byte %" PRId64),
                             attempt->offset - attempt->verify_from, attempt->offset);
    }

  if (buffer->len > 0)
    {
      attempt->queued += buffer->len;
      if (attempt->remote_size >= 0 && attempt->queued > attempt->remote_size)
        {
          download_remote_grew (attempt);
          return;
        }
      attempt->n_full++;
      download_write_next (attempt);
    }

  download_read_next (attempt);
}

static void
download_memory_read_next (Attempt *attempt);

static void
download_memory_read_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  gssize n;

  n = download_read_finish (attempt, object, result);
  if (n == 0)
    return;

  attempt->queued += n;
  attempt->position = attempt->queued;
  set_bytes_done (attempt->self, attempt->position);
  if (attempt->queued > attempt->remote_size)
    {
      download_remote_grew (attempt);
      return;
    }
  download_memory_read_next (attempt);
}

/* A small file collects in memory and goes to the disk in one piece once
 * it is complete: one trip to a worker thread instead of one per step. */
static void
download_memory_read_next (Attempt *attempt)
{
  GInputStream *input;

  if (attempt->reading || attempt->eof || attempt->channel == NULL)
    return;

  input = g_io_stream_get_input_stream (ferry_data_channel_get_stream (attempt->channel));
  attempt->reading = TRUE;
  /* One byte more than SIZE said, to see a file that grew. */
  g_input_stream_read_async (input, attempt->memory + attempt->queued,
                             attempt->remote_size + 1 - attempt->queued, G_PRIORITY_DEFAULT,
                             ferry_data_channel_get_cancellable (attempt->channel),
                             download_memory_read_cb, attempt_ref (attempt));
}

static void
download_read_next (Attempt *attempt)
{
  GInputStream *input;
  Buffer *buffer;

  if (attempt->memory != NULL)
    {
      download_memory_read_next (attempt);
      return;
    }

  if (attempt->reading || attempt->eof || attempt->n_full >= N_BUFFERS ||
      attempt->channel == NULL)
    return;

  if (download_wants_pump (attempt))
    {
      /* The buffers go to the file first: the pump writes after them. */
      if (attempt->n_full > 0 || attempt->writing)
        return;
      if (download_start_pump (attempt))
        return;
    }

  buffer = ring_next_free (attempt);
  input = g_io_stream_get_input_stream (ferry_data_channel_get_stream (attempt->channel));
  attempt->reading = TRUE;
  g_input_stream_read_async (input, buffer->data, BUFFER_SIZE, G_PRIORITY_DEFAULT,
                             ferry_data_channel_get_cancellable (attempt->channel),
                             download_read_cb, attempt_ref (attempt));
}

static void
transfer_final_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_read_final_finish (FERRY_CONTROL (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  if (reply == NULL)
    {
      if (attempt->self->direction == FERRY_TRANSFER_DOWNLOAD)
        download_stop (attempt, g_steal_pointer (&error));
      else
        attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  attempt->final_ok = TRUE;
  if (attempt->self->direction == FERRY_TRANSFER_DOWNLOAD)
    download_maybe_complete (attempt);
  else
    upload_write_next (attempt);
}

static GError *
transfer_command_error (FerryTransfer *self,
                        FerryReply    *reply,
                        const char    *verb)
{
  guint code = ferry_reply_get_code (reply);
  g_autofree char *what = NULL;

  if (code == 550)
    /* Translators: %s is a remote path */
    what = g_strdup_printf (self->direction == FERRY_TRANSFER_DOWNLOAD ?
                            _("cannot download %s") : _("cannot upload to %s"),
                            self->remote_path);
  else
    /* Translators: %s is an FTP command */
    what = g_strdup_printf (_("The server refused %s"), verb);

  return ferry_ftp_error_from_reply (reply, what);
}

static void
retr_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  ferry_control_set_reply_timeout (attempt->control, attempt->self->reply_timeout);

  if (reply == NULL)
    {
      /* Data may have come already (a server that skips the 1yz). */
      download_stop (attempt, g_steal_pointer (&error));
      return;
    }

  if (ferry_reply_get_class (reply) == 5 && attempt->verify_from > 0)
    {
      g_autofree char *text = ferry_ftp_sanitize_text (ferry_reply_get_first_line (reply), -1);

      /* PROTOCOL.md: an out-of-range offset is reported on RETR, not REST.
       * Without SIZE that is how a part bigger than the remote file shows:
       * the remote changed, so start over.  Should the file be gone, RETR
       * from byte 0 fails again, and that error is final. */
      ferry_transfer_logf (attempt->self, _("The server refused to resume at byte %"
                                            PRId64 ": %s"), attempt->offset, text);
      attempt->self->force_restart = TRUE;
      attempt->self->restart_reason = _("the server refused to resume there");
      attempt_restart (attempt);
      return;
    }

  if (ferry_reply_get_class (reply) >= 4)
    {
      attempt_fail (attempt, transfer_command_error (attempt->self, reply, "RETR"));
      return;
    }

  if (ferry_reply_is_preliminary (reply))
    ferry_control_read_final_async (attempt->control, attempt->cancellable,
                                    transfer_final_cb, attempt_ref (attempt));
  else
    /* Some servers skip the 1yz: the 226 is here, the data may not be. */
    attempt->final_ok = TRUE;

  download_maybe_complete (attempt);
}

static void
send_transfer_command (Attempt    *attempt,
                       const char *verb,
                       GAsyncReadyCallback callback)
{
  /* A server that skips the 1yz says nothing until the data is over, which
   * may take longer than any reply timeout.  While the data channel is
   * watched for inactivity, that watch is what notices a silent server. */
  if (attempt->self->inactivity_timeout > 0)
    ferry_control_set_reply_timeout (attempt->control, 0);

  ferry_control_command_async (attempt->control, verb, attempt->self->remote_path,
                               FERRY_EXPECT_1YZ | FERRY_EXPECT_ANY | FERRY_EXPECT_CHAINED,
                               attempt->cancellable, callback, attempt_ref (attempt));
}

static void
rest_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  FerryTransfer *self = attempt->self;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  if (reply == NULL)
    {
      attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  if (ferry_reply_get_class (reply) == 4)
    {
      attempt_fail (attempt, ferry_ftp_error_from_reply (reply, NULL));
      return;
    }

  if (ferry_reply_get_class (reply) != 3)
    {
      /* PROTOCOL.md: REST answered 5yz means the server cannot resume. */
      ferry_transfer_logf (self, "%s", _("The server cannot resume (REST refused); "
                                         "transferring the whole file again"));
      self->no_rest = TRUE;
      attempt_restart (attempt);
      return;
    }

  if (self->direction == FERRY_TRANSFER_DOWNLOAD)
    send_transfer_command (attempt, "RETR", retr_cb);
  else
    send_stor (attempt);
}

static void
download_channel_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;
  gint64 from;

  attempt->channel = ferry_data_channel_open_finish (result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  if (attempt->channel == NULL)
    {
      attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  attempt_touch (attempt);
  set_state (attempt->self, FERRY_TRANSFER_TRANSFERRING);
  download_read_next (attempt);

  from = attempt->verify_from;
  if (from == 0)
    {
      send_transfer_command (attempt, "RETR", retr_cb);
      return;
    }

  rest = g_strdup_printf ("REST %" G_GINT64_FORMAT, from);
  ferry_control_send_async (attempt->control, rest,
                            FERRY_EXPECT_ANY | FERRY_EXPECT_CHAINED | FERRY_EXPECT_HOLD,
                            attempt->cancellable, rest_cb, attempt_ref (attempt));
}

static char *
mtime_to_string (GDateTime *time)
{
  return time != NULL ? g_date_time_format (time, "%Y%m%d%H%M%S") : g_strdup ("");
}

static char *
info_text (FerryTransfer *self,
           gint64         size,
           GDateTime     *mtime)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *time = mtime_to_string (mtime);
  g_autofree char *url = ferry_site_to_url (self->site, self->remote_path);

  g_key_file_set_string (info, "Ferry Partial Download", "Source", url);
  g_key_file_set_int64 (info, "Ferry Partial Download", "Size", size);
  g_key_file_set_string (info, "Ferry Partial Download", "Modified", time);
  return g_key_file_to_data (info, NULL, NULL);
}

typedef struct
{
  /* In */
  GFile         *part;
  GFile         *info;
  char          *record;          /* the record to write when starting at 0, or NULL */
  char          *remote_mtime;    /* "" when unknown */
  gint64         remote_size;     /* -1 when unknown */
  const char    *restart_reason;  /* start at 0 for this reason, or NULL */
  gboolean       resume_allowed;

  /* Out */
  GFileIOStream *stream;
  gint64         offset;
  gint64         overlap_from;
  guint8        *overlap;
  const char    *why;             /* why an existing part was not resumed */
  gboolean       have_record;
} PrepareData;

static void
prepare_data_free (PrepareData *data)
{
  g_clear_object (&data->part);
  g_clear_object (&data->info);
  g_free (data->record);
  g_free (data->remote_mtime);
  g_clear_object (&data->stream);
  g_free (data->overlap);
  g_free (data);
}

/* Whether the part file can be resumed, from what is known before any byte
 * moves: the recorded identity of the remote file against SIZE and MDTM
 * now.  The overlap check comes later, on the wire. */
static const char *
plan_why_not_resume (PrepareData *data,
                     gint64       offset,
                     gint64       recorded_size,
                     const char  *recorded_mtime)
{
  if (!data->resume_allowed)
    return _("resuming was not asked for");
  if (data->restart_reason != NULL)
    return data->restart_reason;
  if (data->remote_size >= 0 && data->remote_size <= SMALL_FILE_SIZE)
    return _("the file is small enough to fetch whole");
  if (recorded_size >= 0 && data->remote_size >= 0 && recorded_size != data->remote_size)
    return _("its size changed");
  if (recorded_mtime != NULL && *recorded_mtime != '\0' && *data->remote_mtime != '\0' &&
      !g_str_equal (recorded_mtime, data->remote_mtime))
    return _("its modification time changed");
  /* Without a record, the overlap decides. */
  if (data->remote_size >= 0 && offset > data->remote_size)
    return _("the local part is bigger than the remote file");
  return NULL;
}

/* In a worker thread: look at the part file and its record, decide where
 * to start, open the part there and read the bytes the overlap check
 * compares.  Local file system calls can block on a slow disk, so not on
 * the main loop; and one trip to the thread pool instead of several. */
static void
download_prepare_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  PrepareData *data = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *info_path = g_file_get_path (data->info);
  g_autofree char *recorded_mtime = NULL;
  gint64 part_size = -1;
  gint64 recorded_size = -2;
  gboolean record_found = FALSE;
  gsize n_read = 0;

  info = g_file_query_info (data->part, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                            cancellable, NULL);
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
    part_size = g_file_info_get_size (info);

  if (info_path != NULL && g_key_file_load_from_file (keyfile, info_path, G_KEY_FILE_NONE, NULL))
    {
      g_autoptr(GError) key_error = NULL;
      gint64 size = g_key_file_get_int64 (keyfile, "Ferry Partial Download", "Size", &key_error);

      record_found = TRUE;
      if (key_error == NULL)
        {
          recorded_size = size;
          recorded_mtime = g_key_file_get_string (keyfile, "Ferry Partial Download", "Modified",
                                                  NULL);
        }
    }

  data->offset = MAX (part_size, 0);
  if (data->offset > 0)
    {
      data->why = plan_why_not_resume (data, data->offset, recorded_size, recorded_mtime);
      if (data->why != NULL)
        data->offset = 0;
    }
  data->overlap_from = data->offset > 0 ? MAX (0, data->offset - OVERLAP_SIZE) : 0;
  data->have_record = record_found;

  /* The record goes first and is finished before any byte moves: written
   * in the background instead, it could land after the download was done
   * and its record removed, or leave a temporary file in the folder.
   * A small file gets none: it is never resumed. */
  if (data->offset == 0)
    {
      if (data->record != NULL)
        {
          if (!g_file_replace_contents (data->info, data->record, strlen (data->record), NULL,
                                        FALSE, G_FILE_CREATE_NONE, NULL, cancellable, &error))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          data->have_record = TRUE;
        }
      else if (record_found)
        {
          /* A stale record of an earlier download of this name. */
          if (g_file_delete (data->info, cancellable, NULL))
            data->have_record = FALSE;
        }
    }

  if (part_size < 0)
    data->stream = g_file_create_readwrite (data->part, G_FILE_CREATE_NONE, cancellable, &error);
  else
    data->stream = g_file_open_readwrite (data->part, cancellable, &error);
  if (data->stream == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Cut only a part that is longer than the resume point: on ext4 a
   * truncate to 0 marks the file as "replaced by truncation" (auto_da_alloc)
   * and its close(2) then pushes every dirty page to the disk while we
   * wait, 0.2 s per GiB. */
  if (part_size > data->offset &&
      !g_seekable_truncate (G_SEEKABLE (data->stream), data->offset, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (data->offset > data->overlap_from)
    {
      data->overlap = g_malloc (data->offset - data->overlap_from);
      if (!g_seekable_seek (G_SEEKABLE (data->stream), data->overlap_from, G_SEEK_SET,
                            cancellable, &error) ||
          !g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (data->stream)),
                                    data->overlap, data->offset - data->overlap_from,
                                    &n_read, cancellable, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (data->offset > 0 &&
      !g_seekable_seek (G_SEEKABLE (data->stream), data->offset, G_SEEK_SET, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
download_prepare_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  FerryTransfer *self = attempt->self;
  PrepareData *data = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (ATTEMPT_ALIVE (attempt))
        attempt_fail (attempt, local_error (g_steal_pointer (&error),
                                            _("cannot write the partial file")));
      return;
    }

  if (!ATTEMPT_ALIVE (attempt))
    return;

  if (data->why != NULL)
    {
      /* Translators: %s is a reason such as "its size changed" */
      ferry_transfer_logf (self, _("Starting over from the first byte: %s"), data->why);
      attempt->restarted = TRUE;
    }
  else if (data->offset > 0)
    ferry_transfer_logf (self, _("Resuming the download at byte %" PRId64), data->offset);

  attempt->file_stream = g_steal_pointer (&data->stream);
  attempt->overlap = g_steal_pointer (&data->overlap);
  attempt->have_record = data->have_record;
  attempt->offset = data->offset;
  attempt->queued = data->offset;
  attempt->position = data->offset;
  attempt->verify_from = data->overlap_from;
  attempt->verify_left = data->offset - data->overlap_from;
  set_bytes_done (self, data->offset);

  ferry_data_channel_open_async (attempt->control, attempt->cancellable,
                                 download_channel_cb, attempt_ref (attempt));
}

static void
download_prepare (Attempt *attempt)
{
  FerryTransfer *self = attempt->self;
  g_autoptr(GTask) task = NULL;
  PrepareData *data;

  if (self->pumps_running > 0)
    {
      g_debug ("%s: waiting for the last try's pump before opening the part file", self->name);
      attempt->prepare_waiting = TRUE;
      return;
    }

  data = g_new0 (PrepareData, 1);

  data->part = g_object_ref (self->part_file);
  data->info = g_object_ref (self->info_file);
  data->remote_size = attempt->remote_size;
  data->remote_mtime = mtime_to_string (attempt->remote_mtime);
  data->resume_allowed = self->allow_resume || self->attempt_count > 1;
  if (self->force_restart)
    data->restart_reason = self->restart_reason;
  else if (self->no_rest)
    data->restart_reason = _("the server cannot resume");
  if (attempt->remote_size < 0 || attempt->remote_size > SMALL_FILE_SIZE)
    data->record = info_text (self, attempt->remote_size, attempt->remote_mtime);
  self->force_restart = FALSE;

  task = g_task_new (NULL, attempt->cancellable, download_prepare_cb, attempt_ref (attempt));
  g_task_set_source_tag (task, download_prepare);
  g_task_set_task_data (task, data, (GDestroyNotify) prepare_data_free);
  g_task_run_in_thread (task, download_prepare_thread);
}

static void
mdtm_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  GDateTime *mtime;

  mtime = ferry_control_mdtm_finish (FERRY_CONTROL (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    {
      g_clear_pointer (&mtime, g_date_time_unref);
      return;
    }

  if (error != NULL)
    {
      attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  attempt->remote_mtime = mtime;
  download_prepare (attempt);
}

/* Without a hash to check it on disk, a small file need not touch the
 * disk before it is whole. */
static gboolean
download_start_in_memory (Attempt *attempt)
{
  const char *command = NULL;

  if (pick_hash (attempt->control, &command) != HASH_NONE)
    return FALSE;

  attempt->memory = g_malloc (attempt->remote_size + 1);
  attempt->offset = attempt->queued = attempt->position = 0;
  set_bytes_done (attempt->self, 0);
  ferry_data_channel_open_async (attempt->control, attempt->cancellable,
                                 download_channel_cb, attempt_ref (attempt));
  return TRUE;
}

static void
download_size_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  FerryTransfer *self = attempt->self;
  gint64 size;

  size = ferry_control_size_finish (FERRY_CONTROL (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  if (error != NULL)
    {
      if (g_error_matches (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND))
        g_prefix_error (&error, _("cannot download %s: "), self->remote_path);
      attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  attempt->remote_size = size;
  if (size < 0)
    ferry_transfer_logf (self, "%s", _("The server does not tell the size; completeness is "
                                       "judged by the final reply alone"));
  set_total_size (self, size);

  /* A small file is never resumed, so its time is not needed. */
  if (size >= 0 && size <= SMALL_FILE_SIZE)
    {
      if (!download_start_in_memory (attempt))
        download_prepare (attempt);
      return;
    }

  ferry_control_mdtm_async (attempt->control, self->remote_path, attempt->cancellable,
                            mdtm_cb, attempt_ref (attempt));
}

/* --- uploads ------------------------------------------------------------ */

static void
upload_verify_size_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  FerryTransfer *self = attempt->self;
  gint64 size;

  size = ferry_control_size_finish (FERRY_CONTROL (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  if (error != NULL && !g_error_matches (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND))
    {
      attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  if (size >= 0 && size != attempt->local_size)
    {
      attempt_fail (attempt, g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_INCOMPLETE,
                                          _("After the upload the server has %" PRId64
                                            " of %" PRId64 " bytes"),
                                          size, attempt->local_size));
      return;
    }

  if (size < 0)
    ferry_transfer_logf (self, "%s", _("The server does not tell the size; the upload is "
                                       "judged by the final reply alone"));

  attempt_verify (attempt, self->local_file);
}

static void
upload_commit (Attempt *attempt)
{
  ferry_transfer_logf (attempt->self, "%s", _("Upload complete and checked"));
  attempt_succeed (attempt);
}

static void
upload_maybe_complete (Attempt *attempt)
{
  if (!attempt->eof || attempt->n_full > 0 || attempt->writing || !attempt->final_ok ||
      attempt->channel != NULL)
    return;

  g_clear_handle_id (&attempt->timer_id, g_source_remove);
  set_state (attempt->self, FERRY_TRANSFER_VERIFYING);
  ferry_control_size_async (attempt->control, attempt->self->remote_path, attempt->cancellable,
                            upload_verify_size_cb, attempt_ref (attempt));
}

/* The start of both upload write callbacks: FALSE when there is nothing
 * more to do. */
static gboolean
upload_write_finish (Attempt      *attempt,
                     GObject      *object,
                     GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, &written, &error))
    {
      if (ATTEMPT_ALIVE (attempt))
        attempt_fail (attempt, g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_TRANSIENT,
                                            _("The data connection failed: %s"), error->message));
      return FALSE;
    }

  if (!ATTEMPT_ALIVE (attempt))
    return FALSE;

  attempt_touch (attempt);
  attempt->writing = FALSE;
  return TRUE;
}

static void
upload_memory_write_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;

  if (!upload_write_finish (attempt, object, result))
    return;

  attempt->position = attempt->memory_len;
  set_bytes_done (attempt->self, attempt->position);
  upload_write_next (attempt);
}

static void
upload_write_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  Buffer *buffer;

  if (!upload_write_finish (attempt, object, result))
    return;

  buffer = &attempt->buffers[attempt->head];
  attempt->position += buffer->len;
  set_bytes_done (attempt->self, attempt->position);
  buffer->len = 0;
  attempt->head = (attempt->head + 1) % N_BUFFERS;
  attempt->n_full--;

  upload_read_next (attempt);
  upload_write_next (attempt);
}

static void
upload_write_next (Attempt *attempt)
{
  GOutputStream *output;
  Buffer *buffer;

  if (attempt->writing || attempt->channel == NULL)
    {
      upload_maybe_complete (attempt);
      return;
    }

  output = g_io_stream_get_output_stream (ferry_data_channel_get_stream (attempt->channel));

  /* A small file goes in one write from memory. */
  if (attempt->memory != NULL && attempt->position < (gint64) attempt->memory_len)
    {
      attempt->writing = TRUE;
      g_output_stream_write_all_async (output, attempt->memory + attempt->position,
                                       attempt->memory_len - attempt->position, G_PRIORITY_DEFAULT,
                                       ferry_data_channel_get_cancellable (attempt->channel),
                                       upload_memory_write_cb, attempt_ref (attempt));
      return;
    }

  if (attempt->n_full == 0)
    {
      if (attempt->eof)
        {
          /* All sent: closing the data connection is how the server learns
           * the file ended (RFC 959 stream mode). */
          ferry_data_channel_close (attempt->channel);
          g_clear_object (&attempt->channel);
        }
      upload_maybe_complete (attempt);
      return;
    }

  buffer = &attempt->buffers[attempt->head];
  attempt->writing = TRUE;
  g_output_stream_write_all_async (output, buffer->data, buffer->len, G_PRIORITY_DEFAULT,
                                   ferry_data_channel_get_cancellable (attempt->channel),
                                   upload_write_cb, attempt_ref (attempt));
}

static void
upload_read_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  Buffer *buffer;
  gsize n = 0;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (object), result, &n, &error))
    {
      if (ATTEMPT_ALIVE (attempt))
        attempt_fail (attempt, local_error (g_steal_pointer (&error), _("cannot read the file")));
      return;
    }

  if (!ATTEMPT_ALIVE (attempt))
    return;

  attempt->reading = FALSE;
  buffer = &attempt->buffers[(attempt->head + attempt->n_full) % N_BUFFERS];

  if (n > 0)
    {
      buffer->len = n;
      attempt->n_full++;
    }
  if (n < BUFFER_SIZE)
    attempt->eof = TRUE;

  upload_read_next (attempt);
  upload_write_next (attempt);
}

static void
upload_pump_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!attempt_pump_ended (attempt, result, _("cannot read the file"), &ok, &error))
    return;

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    attempt_fail (attempt, g_steal_pointer (&error));
  else if (!ok)
    attempt_fail (attempt, g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_TRANSIENT,
                                        _("The data connection failed: %s"), error->message));
  else
    {
      /* All of the file is with the kernel: closing the connection ends it. */
      attempt->eof = TRUE;
      attempt_touch (attempt);
      upload_write_next (attempt);
    }
}

/* The bulk of a big upload goes from the file to the socket in the pump's
 * thread. */
static gboolean
upload_start_pump (Attempt *attempt)
{
  int fd;

  if (pump_disabled () || attempt->reading || attempt->writing || attempt->eof || attempt->n_full > 0 ||
      attempt->local_size - attempt->position <= SMALL_FILE_SIZE)
    return FALSE;

  fd = stream_fd (attempt->file_input);
  if (fd < 0)
    return FALSE;

  return attempt_start_pump (attempt, FERRY_PUMP_SEND, fd, -1, upload_pump_cb);
}

static void
upload_read_next (Attempt *attempt)
{
  Buffer *buffer;

  if (attempt->reading || attempt->eof || attempt->n_full >= N_BUFFERS)
    return;

  /* All of a small file is in memory already. */
  if (attempt->memory != NULL)
    {
      attempt->eof = TRUE;
      return;
    }

  buffer = ring_next_free (attempt);
  attempt->reading = TRUE;
  g_input_stream_read_all_async (attempt->file_input, buffer->data, BUFFER_SIZE,
                                 G_PRIORITY_DEFAULT, attempt->cancellable,
                                 upload_read_cb, attempt_ref (attempt));
}

static void
stor_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  ferry_control_set_reply_timeout (attempt->control, attempt->self->reply_timeout);

  if (reply == NULL)
    {
      attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  if (ferry_reply_get_class (reply) >= 4)
    {
      attempt_fail (attempt, transfer_command_error (attempt->self, reply,
                                                     attempt->offset > 0 ? "APPE" : "STOR"));
      return;
    }

  if (ferry_reply_is_preliminary (reply))
    {
      ferry_control_read_final_async (attempt->control, attempt->cancellable,
                                      transfer_final_cb, attempt_ref (attempt));
      if (upload_start_pump (attempt))
        return;
      upload_read_next (attempt);
      upload_write_next (attempt);
    }
  else
    /* A final reply before any data was sent: nothing was stored. */
    attempt_fail (attempt, g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_TRANSIENT,
                                        _("The server ended the upload before it began")));
}

static void
send_stor (Attempt *attempt)
{
  gboolean rest_stream = attempt->offset > 0 &&
                         (ferry_control_get_features (attempt->control) & FERRY_FEATURE_REST_STREAM);

  /* RFC 3659 §5: REST before STOR only where REST STREAM is offered;
   * elsewhere APPE appends to what is there. */
  send_transfer_command (attempt, attempt->offset > 0 && !rest_stream ? "APPE" : "STOR", stor_cb);
}

static void
upload_channel_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;

  attempt->channel = ferry_data_channel_open_finish (result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  if (attempt->channel == NULL)
    {
      attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  attempt_touch (attempt);
  set_state (attempt->self, FERRY_TRANSFER_TRANSFERRING);

  if (attempt->offset > 0 &&
      (ferry_control_get_features (attempt->control) & FERRY_FEATURE_REST_STREAM))
    {
      rest = g_strdup_printf ("REST %" G_GINT64_FORMAT, attempt->offset);
      ferry_control_send_async (attempt->control, rest,
                                FERRY_EXPECT_ANY | FERRY_EXPECT_CHAINED | FERRY_EXPECT_HOLD,
                                attempt->cancellable, rest_cb, attempt_ref (attempt));
      return;
    }

  send_stor (attempt);
}

static void
upload_open_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  GFileInputStream *input;

  input = g_file_read_finish (G_FILE (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    {
      g_clear_object (&input);
      return;
    }

  if (input == NULL)
    {
      attempt_fail (attempt, local_error (g_steal_pointer (&error), _("cannot read the file")));
      return;
    }

  attempt->file_input = G_INPUT_STREAM (input);
  attempt->position = attempt->offset;
  set_bytes_done (attempt->self, attempt->offset);

  if (attempt->offset > 0 &&
      !g_seekable_seek (G_SEEKABLE (input), attempt->offset, G_SEEK_SET, NULL, &error))
    {
      attempt_fail (attempt, local_error (g_steal_pointer (&error), _("cannot read the file")));
      return;
    }

  ferry_data_channel_open_async (attempt->control, attempt->cancellable,
                                 upload_channel_cb, attempt_ref (attempt));
}

static void
upload_start_data (Attempt *attempt)
{
  if (attempt->memory != NULL)
    {
      attempt->position = attempt->offset;
      set_bytes_done (attempt->self, attempt->offset);
      ferry_data_channel_open_async (attempt->control, attempt->cancellable,
                                     upload_channel_cb, attempt_ref (attempt));
      return;
    }

  g_file_read_async (attempt->self->local_file, G_PRIORITY_DEFAULT, attempt->cancellable,
                     upload_open_cb, attempt_ref (attempt));
}

static void
upload_conflict (Attempt    *attempt,
                 const char *why)
{
  FerryTransfer *self = attempt->self;

  if (self->conflict == FERRY_CONFLICT_RESTART)
    {
      /* Translators: %s says why, e.g. "the remote file is bigger than the local one" */
      ferry_transfer_logf (self, _("Uploading again from the first byte: %s"), why);
      attempt->offset = 0;
      upload_start_data (attempt);
      return;
    }

  /* Translators: %s says why; the remote file is left as it is */
  attempt_fail (attempt, g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_REMOTE_CHANGED,
                                      _("Will not append to %s: %s"), self->remote_path, why));
}

typedef struct
{
  Attempt          *attempt;
  FerryDataChannel *channel;
  guint8           *remote;
  gsize             filled;
  gsize             wanted;
  guint8           *local;
  guint             pending;
  gboolean          failed;
} UploadCheck;

static void
upload_check_free (UploadCheck *check)
{
  if (check->channel != NULL)
    ferry_data_channel_close (check->channel);
  g_clear_object (&check->channel);
  g_free (check->remote);
  g_free (check->local);
  attempt_unref (check->attempt);
  g_free (check);
}

static void
upload_check_done (UploadCheck *check)
{
  Attempt *attempt = check->attempt;
  FerryTransfer *self = attempt->self;

  if (--check->pending > 0)
    return;

  if (!ATTEMPT_ALIVE (attempt) || check->failed)
    {
      upload_check_free (check);
      return;
    }

  if (check->filled != check->wanted || check->local == NULL ||
      memcmp (check->remote, check->local, check->wanted) != 0)
    upload_conflict (attempt, _("the remote file does not end with the same bytes as ours"));
  else
    {
      ferry_transfer_logf (self, _("The remote file's last %zu bytes match; "
                                   "resuming the upload at byte %" PRId64),
                           check->wanted, attempt->offset);
      if (attempt->offset == attempt->local_size)
        {
          /* Everything is there already: only the checks remain. */
          attempt->eof = TRUE;
          attempt->final_ok = TRUE;
          upload_maybe_complete (attempt);
        }
      else
        upload_start_data (attempt);
    }

  upload_check_free (check);
}

static void
upload_check_final_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  UploadCheck *check = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* We hung up mid-RETR on purpose: 426 or 226 are both fine here, but a
   * lost control connection is not. */
  reply = ferry_control_read_final_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL && ATTEMPT_ALIVE (check->attempt) && !check->failed &&
      (error->domain != FERRY_FTP_ERROR ||
       (error->code != FERRY_FTP_ERROR_TRANSIENT && error->code != FERRY_FTP_ERROR_FAILED)))
    {
      check->failed = TRUE;
      attempt_fail (check->attempt, g_steal_pointer (&error));
    }

  upload_check_done (check);
}

static void upload_check_read (UploadCheck *check);

static void
upload_check_read_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  UploadCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0 && !check->failed && ATTEMPT_ALIVE (check->attempt) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* A broken connection says nothing about whose bytes are there:
       * try again rather than call the remote file foreign. */
      check->failed = TRUE;
      attempt_fail (check->attempt, g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_TRANSIENT,
                                                 _("The data connection failed: %s"),
                                                 error->message));
    }
  if (n > 0 && !check->failed)
    {
      check->filled += n;
      if (check->filled < check->wanted)
        {
          upload_check_read (check);
          return;
        }
    }

  /* Enough bytes (or EOF, or an error): hang up the data connection. */
  ferry_data_channel_close (check->channel);
  upload_check_done (check);
}

static void
upload_check_read (UploadCheck *check)
{
  GInputStream *input = g_io_stream_get_input_stream (ferry_data_channel_get_stream (check->channel));

  g_input_stream_read_async (input, check->remote + check->filled, check->wanted - check->filled,
                             G_PRIORITY_DEFAULT, ferry_data_channel_get_cancellable (check->channel),
                             upload_check_read_cb, check);
}

static void
upload_check_retr_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  UploadCheck *check = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL || ferry_reply_get_class (reply) >= 4)
    {
      if (ATTEMPT_ALIVE (check->attempt) && !check->failed)
        {
          check->failed = TRUE;
          attempt_fail (check->attempt, reply != NULL ? ferry_ftp_error_from_reply (reply, NULL)
                                                      : g_steal_pointer (&error));
        }
      ferry_data_channel_close (check->channel);
      /* Neither the data nor a final reply will come: only the local read
       * may still be on its way, and it must find the check alive. */
      check->pending--;
      upload_check_done (check);
      return;
    }

  if (ferry_reply_is_preliminary (reply))
    ferry_control_read_final_async (FERRY_CONTROL (object), check->attempt->cancellable,
                                    upload_check_final_cb, check);
  else
    check->pending--;

  upload_check_read (check);
}

static void
upload_check_rest_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  UploadCheck *check = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL || ferry_reply_get_class (reply) != 3)
    {
      /* Without REST the remote bytes cannot be checked: start over. */
      if (ATTEMPT_ALIVE (check->attempt) && !check->failed)
        {
          if (reply == NULL)
            {
              check->failed = TRUE;
              attempt_fail (check->attempt, g_steal_pointer (&error));
            }
          else
            {
              ferry_data_channel_close (check->channel);
              check->attempt->offset = 0;
              ferry_transfer_logf (check->attempt->self, "%s",
                                   _("The server cannot resume (REST refused); uploading the "
                                     "whole file again"));
              ferry_control_release (check->attempt->control);
              upload_start_data (check->attempt);
              check->failed = TRUE;
            }
        }
      /* Neither the data nor a final reply will come: only the local read
       * may still be on its way, and it must find the check alive. */
      check->pending--;
      upload_check_done (check);
      return;
    }

  ferry_control_command_async (check->attempt->control, "RETR", check->attempt->self->remote_path,
                               FERRY_EXPECT_1YZ | FERRY_EXPECT_ANY | FERRY_EXPECT_CHAINED,
                               check->attempt->cancellable, upload_check_retr_cb, check);
}

static void
upload_check_channel_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  UploadCheck *check = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *rest = NULL;

  check->channel = ferry_data_channel_open_finish (result, &error);
  if (check->channel == NULL)
    {
      if (ATTEMPT_ALIVE (check->attempt))
        attempt_fail (check->attempt, g_steal_pointer (&error));
      check->failed = TRUE;
      /* Neither the data nor a final reply will come: only the local read
       * may still be on its way, and it must find the check alive. */
      check->pending--;
      upload_check_done (check);
      return;
    }

  rest = g_strdup_printf ("REST %" G_GINT64_FORMAT, check->attempt->offset - (gint64) check->wanted);
  ferry_control_send_async (check->attempt->control, rest,
                            FERRY_EXPECT_ANY | FERRY_EXPECT_CHAINED | FERRY_EXPECT_HOLD,
                            check->attempt->cancellable, upload_check_rest_cb, check);
}

static void
upload_check_local_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  UploadCheck *check = user_data;

  check->local = g_task_propagate_pointer (G_TASK (result), NULL);
  upload_check_done (check);
}

static void
read_range_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  UploadCheck *check = task_data;
  GFile *file = check->attempt->self->local_file;
  g_autoptr(GFileInputStream) input = NULL;
  g_autofree guint8 *bytes = g_malloc (check->wanted);
  gsize n = 0;

  input = g_file_read (file, cancellable, NULL);
  if (input == NULL ||
      !g_seekable_seek (G_SEEKABLE (input), check->attempt->offset - check->wanted, G_SEEK_SET,
                        cancellable, NULL) ||
      !g_input_stream_read_all (G_INPUT_STREAM (input), bytes, check->wanted, &n, cancellable, NULL) ||
      n != check->wanted)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&bytes), g_free);
}

/* Before appending, fetch the remote file's last bytes and compare them
 * with ours: appending to somebody else's file would corrupt both. */
static void
upload_check_remote (Attempt *attempt)
{
  UploadCheck *check = g_new0 (UploadCheck, 1);
  g_autoptr(GTask) task = NULL;

  check->attempt = attempt_ref (attempt);
  check->wanted = MIN (attempt->offset, OVERLAP_SIZE);
  check->remote = g_malloc (check->wanted);
  /* local bytes, data read, final reply */
  check->pending = 3;

  task = g_task_new (NULL, attempt->cancellable, upload_check_local_cb, check);
  g_task_set_task_data (task, check, NULL);
  g_task_run_in_thread (task, read_range_thread);

  ferry_data_channel_open_async (attempt->control, attempt->cancellable,
                                 upload_check_channel_cb, check);
}

static void
upload_remote_size_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  FerryTransfer *self = attempt->self;
  gint64 size;

  size = ferry_control_size_finish (FERRY_CONTROL (object), result, &error);
  if (!ATTEMPT_ALIVE (attempt))
    return;

  if (error != NULL)
    {
      if (!g_error_matches (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND))
        {
          attempt_fail (attempt, g_steal_pointer (&error));
          return;
        }
      /* 550: nothing there yet. */
      size = 0;
    }

  attempt->remote_size = size;
  attempt->offset = 0;

  if ((!self->allow_resume && self->attempt_count == 1) || self->no_rest)
    {
      upload_start_data (attempt);
      return;
    }

  if (size < 0)
    {
      ferry_transfer_logf (self, "%s", _("The server does not tell the remote size; uploading "
                                         "the whole file"));
      upload_start_data (attempt);
      return;
    }

  if (size > attempt->local_size)
    {
      upload_conflict (attempt, _("the remote file is bigger than the local one"));
      return;
    }

  if (size == 0)
    {
      upload_start_data (attempt);
      return;
    }

  attempt->offset = size;
  upload_check_remote (attempt);
}

typedef struct
{
  GFileType  type;
  gint64     size;
  char      *contents;   /* a small file, read whole */
  gsize      length;
} UploadLocal;

static void
upload_local_free (UploadLocal *local)
{
  g_free (local->contents);
  g_free (local);
}

/* In a worker thread: what the local file is, and a small one's bytes,
 * in one trip. */
static void
upload_local_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  UploadLocal *local;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  local = g_new0 (UploadLocal, 1);
  local->type = g_file_info_get_file_type (info);
  local->size = g_file_info_get_size (info);
  if (local->type == G_FILE_TYPE_REGULAR && local->size <= SMALL_FILE_SIZE &&
      !g_file_load_contents (file, cancellable, &local->contents, &local->length, NULL, &error))
    {
      upload_local_free (local);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, local, (GDestroyNotify) upload_local_free);
}

static void
upload_local_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;
  FerryTransfer *self = attempt->self;
  UploadLocal *local;

  local = g_task_propagate_pointer (G_TASK (result), &error);
  if (!ATTEMPT_ALIVE (attempt))
    {
      g_clear_pointer (&local, upload_local_free);
      return;
    }

  if (local == NULL)
    {
      attempt_fail (attempt, local_error (g_steal_pointer (&error), _("cannot read the file")));
      return;
    }

  if (local->type != G_FILE_TYPE_REGULAR)
    {
      upload_local_free (local);
      attempt_fail (attempt, g_error_new (FERRY_FTP_ERROR, FERRY_FTP_ERROR_LOCAL,
                                          _("“%s” is not a regular file"), self->name));
      return;
    }

  if (local->contents != NULL)
    {
      /* What was read is what is sent and counted. */
      attempt->memory = (guint8 *) g_steal_pointer (&local->contents);
      attempt->memory_len = local->length;
      attempt->local_size = local->length;
    }
  else
    attempt->local_size = local->size;
  upload_local_free (local);
  set_total_size (self, attempt->local_size);

  /* The caller made the folder just now: nothing to resume or protect. */
  if (self->remote_absent && self->attempt_count == 1)
    {
      attempt->remote_size = 0;
      attempt->offset = 0;
      upload_start_data (attempt);
      return;
    }

  ferry_control_size_async (attempt->control, self->remote_path, attempt->cancellable,
                            upload_remote_size_cb, attempt_ref (attempt));
}

/* --- the start of every try --------------------------------------------- */

static void
attempt_connected (Attempt *attempt)
{
  FerryTransfer *self = attempt->self;

  if (self->direction == FERRY_TRANSFER_DOWNLOAD)
    {
      /* The listing told the size of a small file: no SIZE round trip.  The
       * count is still checked, against SIZE when it does not match. */
      if (self->expected_size >= 0 && self->expected_size <= SMALL_FILE_SIZE)
        {
          attempt->remote_size = self->expected_size;
          attempt->size_hinted = TRUE;
          if (download_start_in_memory (attempt))
            return;
          attempt->remote_size = -1;
          attempt->size_hinted = FALSE;
        }
      ferry_control_size_async (attempt->control, self->remote_path, attempt->cancellable,
                                download_size_cb, attempt_ref (attempt));
    }
  else
    {
      g_autoptr(GTask) task = g_task_new (NULL, attempt->cancellable, upload_local_cb,
                                          attempt_ref (attempt));

      g_task_set_source_tag (task, attempt_connected);
      g_task_set_task_data (task, g_object_ref (self->local_file), g_object_unref);
      g_task_run_in_thread (task, upload_local_thread);
    }
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Attempt) attempt = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_control_connect_finish (FERRY_CONTROL (object), result, &error))
    {
      if (ATTEMPT_ALIVE (attempt))
        attempt_fail (attempt, g_steal_pointer (&error));
      return;
    }

  if (!ATTEMPT_ALIVE (attempt))
    return;

  attempt_connected (attempt);
}

static void
control_closed_cb (FerryControl  *control,
                   const GError  *error,
                   FerryTransfer *self)
{
  Attempt *attempt = self->attempt;

  /* A 421 or a dead control connection while data still moves: the server
   * will not send the final reply, so this try is over once the bytes that
   * came are kept. */
  if (attempt != NULL && attempt->control == control && !attempt->done)
    {
      if (self->direction == FERRY_TRANSFER_DOWNLOAD)
        download_stop (attempt, g_error_copy (error));
      else
        attempt_fail (attempt, g_error_copy (error));
    }
}

static void
ferry_transfer_begin_attempt (FerryTransfer *self)
{
  Attempt *attempt;

  g_assert (self->attempt == NULL);

  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->pause_requested = FALSE;
  self->cancel_requested = FALSE;
  self->bytes_at_try = self->bytes_done;
  set_attempt_count (self, self->attempt_count + 1);
  set_state (self, FERRY_TRANSFER_CONNECTING);

  attempt = attempt_new (self);
  self->attempt = attempt;
  attempt->control = self->pool != NULL ? ferry_pool_take (self->pool, self->site) : NULL;
  attempt->reused = attempt->control != NULL;
  if (attempt->control == NULL)
    attempt->control = ferry_control_new ();
  ferry_control_set_reply_timeout (attempt->control, self->reply_timeout);
  /* The transfer's own connection is never idle while it lives. */
  ferry_control_set_keepalive_interval (attempt->control, 0);
  g_signal_connect (attempt->control, "log-line", G_CALLBACK (control_log_cb), self);
  g_signal_connect (attempt->control, "closed", G_CALLBACK (control_closed_cb), self);

  if (self->attempt_count > 1)
    ferry_transfer_logf (self, _("Attempt %u"), self->attempt_count);

  self->started_once = TRUE;
  if (attempt->reused)
    {
      ferry_transfer_logf (self, "%s", _("Using a connection that is already logged in"));
      attempt_connected (attempt);
      return;
    }

  ferry_control_connect_async (attempt->control, ferry_site_get_host (self->site),
                               ferry_site_get_port (self->site), ferry_site_get_user (self->site),
                               ferry_site_get_password (self->site), attempt->cancellable,
                               connect_cb, attempt_ref (attempt));
}

/* --- GObject ------------------------------------------------------------ */

static void
ferry_transfer_dispose (GObject *object)
{
  FerryTransfer *self = (FerryTransfer *)object;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->notify_id, g_source_remove);

  G_OBJECT_CLASS (ferry_transfer_parent_class)->dispose (object);
}

static void
ferry_transfer_finalize (GObject *object)
{
  FerryTransfer *self = (FerryTransfer *)object;

  g_clear_object (&self->site);
  g_clear_object (&self->pool);
  g_clear_object (&self->local_file);
  g_clear_object (&self->part_file);
  g_clear_object (&self->info_file);
  g_clear_pointer (&self->remote_path, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->status_text, g_free);
  g_clear_error (&self->error);
  g_string_free (self->log, TRUE);

  G_OBJECT_CLASS (ferry_transfer_parent_class)->finalize (object);
}

static void
ferry_transfer_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryTransfer *self = FERRY_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_SITE:
      g_value_set_object (value, self->site);
      break;
    case PROP_LOCAL_FILE:
      g_value_set_object (value, self->local_file);
      break;
    case PROP_REMOTE_PATH:
      g_value_set_string (value, self->remote_path);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_TOTAL_SIZE:
      g_value_set_int64 (value, self->total_size);
      break;
    case PROP_BYTES_DONE:
      g_value_set_int64 (value, self->notified_bytes);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, ferry_transfer_get_fraction (self));
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_ETA:
      g_value_set_int64 (value, self->eta);
      break;
    case PROP_ATTEMPT:
      g_value_set_uint (value, self->attempt_count);
      break;
    case PROP_RETRY_IN:
      g_value_set_uint (value, self->retry_in);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, ferry_transfer_is_finished (self));
      break;
    case PROP_CAN_RESUME:
      g_value_set_boolean (value, ferry_transfer_can_resume (self));
      break;
    case PROP_RESUME_ON_RECONNECT:
      g_value_set_boolean (value, self->resume_on_reconnect);
      break;
    case PROP_RETRY_LIMIT:
      g_value_set_uint (value, self->retry_limit);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryTransfer *self = FERRY_TRANSFER (object);

  switch (prop_id)
    {
    case PROP_RESUME_ON_RECONNECT:
      ferry_transfer_set_resume_on_reconnect (self, g_value_get_boolean (value));
      break;
    case PROP_RETRY_LIMIT:
      ferry_transfer_set_retry_limit (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_class_init (FerryTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ferry_transfer_dispose;
  object_class->finalize = ferry_transfer_finalize;
  object_class->get_property = ferry_transfer_get_property;
  object_class->set_property = ferry_transfer_set_property;

  properties [PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL, FERRY_TYPE_TRANSFER_DIRECTION,
                       FERRY_TRANSFER_DOWNLOAD, ro);
  properties [PROP_SITE] =
    g_param_spec_object ("site", NULL, NULL, FERRY_TYPE_SITE, ro);
  properties [PROP_LOCAL_FILE] =
    g_param_spec_object ("local-file", NULL, NULL, G_TYPE_FILE, ro);
  properties [PROP_REMOTE_PATH] =
    g_param_spec_string ("remote-path", NULL, NULL, NULL, ro);
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties [PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FERRY_TYPE_TRANSFER_STATE,
                       FERRY_TRANSFER_QUEUED, ro);
  properties [PROP_TOTAL_SIZE] =
    g_param_spec_int64 ("total-size", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties [PROP_BYTES_DONE] =
    g_param_spec_int64 ("bytes-done", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties [PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, ro);
  properties [PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties [PROP_ETA] =
    g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties [PROP_ATTEMPT] =
    g_param_spec_uint ("attempt", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties [PROP_RETRY_IN] =
    g_param_spec_uint ("retry-in", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties [PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, ro);
  properties [PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL, ro);
  properties [PROP_FINISHED] =
    g_param_spec_boolean ("finished", NULL, NULL, FALSE, ro);
  properties [PROP_CAN_RESUME] =
    g_param_spec_boolean ("can-resume", NULL, NULL, FALSE, ro);
  properties [PROP_RESUME_ON_RECONNECT] =
    g_param_spec_boolean ("resume-on-reconnect", NULL, NULL, TRUE, rw);
  properties [PROP_RETRY_LIMIT] =
    g_param_spec_uint ("retry-limit", NULL, NULL, 0, 100000, 10, rw);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryTransfer::log-line:
   * @kind: a #FerryLogKind
   * @text: what was said or done
   *
   * The dialogue of the transfer's own connection and what it decided.
   */
  signals [LOG_LINE] =
    g_signal_new ("log-line",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, FERRY_TYPE_LOG_KIND, G_TYPE_STRING);

  crc32_init ();
}

static void
ferry_transfer_init (FerryTransfer *self)
{
  self->state = FERRY_TRANSFER_QUEUED;
  self->total_size = -1;
  self->expected_size = -1;
  self->eta = -1;
  self->retry_limit = 10;
  self->retry_initial = 1;
  self->retry_max = 60;
  self->reply_timeout = 30;
  self->inactivity_timeout = 30;
  self->resume_on_reconnect = TRUE;
  self->allow_resume = TRUE;
  self->log = g_string_new (NULL);
}

static FerryTransfer *
ferry_transfer_new (FerryTransferDirection  direction,
                    FerrySite              *site,
                    const char             *remote_path,
                    GFile                  *local_file)
{
  FerryTransfer *self = g_object_new (FERRY_TYPE_TRANSFER, NULL);

  self->direction = direction;
  self->site = ferry_site_copy (site);
  self->remote_path = g_strdup (remote_path);
  self->local_file = g_object_ref (local_file);

  if (direction == FERRY_TRANSFER_DOWNLOAD)
    {
      self->name = g_strdup (ferry_remote_path_basename (remote_path));
      if (*self->name == '\0')
        {
          g_free (self->name);
          self->name = g_file_get_basename (local_file);
        }
    }
  else
    self->name = g_file_get_basename (local_file);

  update_status_text (self);

  return self;
}

/**
 * ferry_transfer_new_download:
 * @site: where to connect
 * @remote_path: the file to fetch
 * @local_file: where it goes; "name.ferry-part" beside it holds the bytes
 *   until they are complete and checked
 *
 * Returns: (transfer full): a queued download
 */
FerryTransfer *
ferry_transfer_new_download (FerrySite  *site,
                             const char *remote_path,
                             GFile      *local_file)
{
  FerryTransfer *self;
  g_autofree char *path = NULL;
  g_autofree char *part = NULL;
  g_autofree char *info = NULL;

  g_return_val_if_fail (FERRY_IS_SITE (site), NULL);
  g_return_val_if_fail (remote_path != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (local_file), NULL);

  self = ferry_transfer_new (FERRY_TRANSFER_DOWNLOAD, site, remote_path, local_file);

  path = g_file_get_path (local_file);
  part = g_strconcat (path != NULL ? path : "ferry-download", PART_SUFFIX, NULL);
  info = g_strconcat (part, INFO_SUFFIX, NULL);
  self->part_file = g_file_new_for_path (part);
  self->info_file = g_file_new_for_path (info);

  return self;
}

/**
 * ferry_transfer_new_upload:
 * @site: where to connect
 * @local_file: the file to send
 * @remote_path: where it goes on the server
 *
 * Returns: (transfer full): a queued upload
 */
FerryTransfer *
ferry_transfer_new_upload (FerrySite  *site,
                           GFile      *local_file,
                           const char *remote_path)
{
  g_return_val_if_fail (FERRY_IS_SITE (site), NULL);
  g_return_val_if_fail (remote_path != NULL, NULL);
  g_return_val_if_fail (G_IS_FILE (local_file), NULL);

  return ferry_transfer_new (FERRY_TRANSFER_UPLOAD, site, remote_path, local_file);
}

/**
 * ferry_transfer_get_direction:
 *
 * Returns: download or upload
 */
FerryTransferDirection
ferry_transfer_get_direction (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->direction;
}

/**
 * ferry_transfer_get_site:
 *
 * Returns: (transfer none): where the transfer connects
 */
FerrySite *
ferry_transfer_get_site (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->site;
}

/**
 * ferry_transfer_get_local_file:
 *
 * Returns: (transfer none): the local file
 */
GFile *
ferry_transfer_get_local_file (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->local_file;
}

/**
 * ferry_transfer_get_remote_path:
 *
 * Returns: the remote path
 */
const char *
ferry_transfer_get_remote_path (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->remote_path;
}

/**
 * ferry_transfer_get_name:
 *
 * Returns: the file's name, for display
 */
const char *
ferry_transfer_get_name (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->name;
}

/**
 * ferry_transfer_get_state:
 *
 * Returns: the state
 */
FerryTransferState
ferry_transfer_get_state (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->state;
}

/**
 * ferry_transfer_get_total_size:
 *
 * Returns: the file's size in bytes, -1 when unknown
 */
gint64
ferry_transfer_get_total_size (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), -1);
  return self->total_size;
}

/**
 * ferry_transfer_get_bytes_done:
 *
 * Returns: bytes in place (as last notified)
 */
gint64
ferry_transfer_get_bytes_done (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->notified_bytes;
}

/**
 * ferry_transfer_get_fraction:
 *
 * Returns: 0 to 1; 0 when the size is unknown
 */
double
ferry_transfer_get_fraction (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);

  if (self->state == FERRY_TRANSFER_DONE)
    return 1;
  if (self->total_size <= 0)
    return 0;
  return CLAMP ((double) self->notified_bytes / self->total_size, 0, 1);
}

/**
 * ferry_transfer_get_speed:
 *
 * Returns: bytes per second, smoothed; 0 when not moving
 */
double
ferry_transfer_get_speed (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->speed;
}

/**
 * ferry_transfer_get_eta:
 *
 * Returns: seconds left, -1 when unknown
 */
gint64
ferry_transfer_get_eta (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), -1);
  return self->eta;
}

/**
 * ferry_transfer_get_attempt:
 *
 * Returns: how many tries have started
 */
guint
ferry_transfer_get_attempt (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->attempt_count;
}

/**
 * ferry_transfer_get_retry_in:
 *
 * Returns: seconds until the next try, while retrying
 */
guint
ferry_transfer_get_retry_in (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->retry_in;
}

/**
 * ferry_transfer_get_error:
 *
 * Returns: (nullable): why the last try failed
 */
const GError *
ferry_transfer_get_error (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->error;
}

/**
 * ferry_transfer_get_status_text:
 *
 * Returns: the state in words ("Retrying in 4 seconds…", "Failed: …")
 */
const char *
ferry_transfer_get_status_text (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->status_text;
}

/**
 * ferry_transfer_get_log:
 *
 * Returns: what the transfer said and did, newest last
 */
const char *
ferry_transfer_get_log (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), NULL);
  return self->log->str;
}

/**
 * ferry_transfer_is_finished:
 *
 * Returns: whether done, failed or cancelled
 */
gboolean
ferry_transfer_is_finished (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);
  return state_is_finished (self->state);
}

/**
 * ferry_transfer_can_resume:
 *
 * Returns: whether ferry_transfer_resume() would start it again
 */
gboolean
ferry_transfer_can_resume (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);
  return self->state == FERRY_TRANSFER_PAUSED || self->state == FERRY_TRANSFER_INTERRUPTED ||
         self->state == FERRY_TRANSFER_FAILED;
}

/**
 * ferry_transfer_get_resume_on_reconnect:
 *
 * Returns: whether transient failures reconnect and resume by themselves
 */
gboolean
ferry_transfer_get_resume_on_reconnect (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), FALSE);
  return self->resume_on_reconnect;
}

/**
 * ferry_transfer_set_resume_on_reconnect:
 * @resume: %TRUE to reconnect by itself
 *
 * Takes effect at the next failure.
 */
void
ferry_transfer_set_resume_on_reconnect (FerryTransfer *self,
                                        gboolean       resume)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));

  resume = !!resume;
  if (self->resume_on_reconnect == resume)
    return;

  self->resume_on_reconnect = resume;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RESUME_ON_RECONNECT]);
}

/**
 * ferry_transfer_get_retry_limit:
 *
 * Returns: tries without progress before giving up
 */
guint
ferry_transfer_get_retry_limit (FerryTransfer *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER (self), 0);
  return self->retry_limit;
}

/**
 * ferry_transfer_set_retry_limit:
 * @limit: tries in a row without progress before giving up
 *
 * The count starts again whenever a try moved bytes.
 */
void
ferry_transfer_set_retry_limit (FerryTransfer *self,
                                guint          limit)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));

  if (self->retry_limit == limit)
    return;

  self->retry_limit = limit;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_LIMIT]);
}

/**
 * ferry_transfer_set_retry_delays:
 * @initial_seconds: the wait before the first retry
 * @max_seconds: the wait never grows past this
 *
 * The wait doubles from @initial_seconds up to @max_seconds.
 */
void
ferry_transfer_set_retry_delays (FerryTransfer *self,
                                 guint          initial_seconds,
                                 guint          max_seconds)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));

  self->retry_initial = MAX (initial_seconds, 1);
  self->retry_max = MAX (max_seconds, self->retry_initial);
}

/**
 * ferry_transfer_set_timeouts:
 * @reply_seconds: how long a command may wait for its reply
 * @inactivity_seconds: how long the data channel may move no bytes
 *
 * Both count as transient failures when they run out.
 */
void
ferry_transfer_set_timeouts (FerryTransfer *self,
                             guint          reply_seconds,
                             guint          inactivity_seconds)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));

  self->reply_timeout = reply_seconds;
  self->inactivity_timeout = inactivity_seconds;
}

/**
 * ferry_transfer_set_conflict:
 * @conflict: what an upload does with a remote file that is not ours
 *
 * Sets the upload conflict policy.
 */
void
ferry_transfer_set_conflict (FerryTransfer *self,
                             FerryConflict  conflict)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->conflict = conflict;
}

/**
 * ferry_transfer_set_expected_size:
 * @size: the size a listing showed for the remote file, or -1
 *
 * A download of a small file whose size is known this way skips the SIZE
 * command.  Nothing is taken on trust: a count that differs from @size is
 * checked against SIZE before the download counts as complete.  The size
 * is also shown as the total until the transfer starts.
 */
void
ferry_transfer_set_expected_size (FerryTransfer *self,
                                  gint64         size)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  g_return_if_fail (self->direction == FERRY_TRANSFER_DOWNLOAD);

  self->expected_size = MAX (size, -1);
  if (size >= 0 && self->state == FERRY_TRANSFER_QUEUED)
    set_total_size (self, size);
}

/**
 * ferry_transfer_set_allow_resume:
 * @allow: whether the first try may continue an earlier partial transfer
 *
 * %TRUE (the default) continues a download from an existing partial file
 * and an upload from the remote file's size; %FALSE starts the first try
 * from byte 0.  Retries always resume.
 */
void
ferry_transfer_set_allow_resume (FerryTransfer *self,
                                 gboolean       allow)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->allow_resume = !!allow;
}

/**
 * ferry_transfer_start:
 *
 * Starts a queued transfer, or starts again one that stopped.
 */
void
ferry_transfer_start (FerryTransfer *self)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));

  if (self->attempt != NULL || self->state == FERRY_TRANSFER_DONE)
    return;

  if (self->state == FERRY_TRANSFER_FAILED || self->state == FERRY_TRANSFER_CANCELLED)
    self->failures = 0;
  if (self->state == FERRY_TRANSFER_RETRYING)
    {
      self->retry_in = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RETRY_IN]);
    }

  ferry_transfer_begin_attempt (self);
}

/**
 * ferry_transfer_pause:
 *
 * Stops the transfer and keeps what arrived; ferry_transfer_resume()
 * continues from there.
 */
void
ferry_transfer_pause (FerryTransfer *self)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));

  if (state_is_finished (self->state) || self->state == FERRY_TRANSFER_PAUSED)
    return;

  if (self->attempt != NULL)
    {
      self->pause_requested = TRUE;
      attempt_fail (self->attempt, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                        _("The transfer was paused")));
      return;
    }

  g_clear_handle_id (&self->retry_id, g_source_remove);
  set_state (self, FERRY_TRANSFER_PAUSED);
}

/**
 * ferry_transfer_resume:
 *
 * Continues a paused, interrupted or failed transfer from the byte it
 * stopped at.
 */
void
ferry_transfer_resume (FerryTransfer *self)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));

  if (!ferry_transfer_can_resume (self) && self->state != FERRY_TRANSFER_QUEUED &&
      self->state != FERRY_TRANSFER_RETRYING)
    return;

  /* In a queue, a stopped transfer waits for a free slot like any other;
   * the queue starts it. */
  if (self->wait_for_slot && ferry_transfer_can_resume (self))
    {
      if (self->state == FERRY_TRANSFER_FAILED || self->state == FERRY_TRANSFER_CANCELLED)
        self->failures = 0;
      set_error (self, NULL);
      set_state (self, FERRY_TRANSFER_QUEUED);
      return;
    }

  ferry_transfer_start (self);
}

/**
 * ferry_transfer_set_remote_absent:
 *
 * Tells an upload that nothing is at its remote path: the caller created
 * the folder just now.  The first try then skips asking SIZE before it
 * stores; later tries ask as always, to resume.
 */
void
ferry_transfer_set_remote_absent (FerryTransfer *self)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  g_return_if_fail (self->direction == FERRY_TRANSFER_UPLOAD);
  self->remote_absent = TRUE;
}

/**
 * ferry_transfer_set_wait_for_slot:
 * @wait: whether ferry_transfer_resume() queues instead of starting
 *
 * A #FerryQueue sets this on the transfers it runs, so that resuming one
 * respects its limit of parallel transfers.
 */
void
ferry_transfer_set_wait_for_slot (FerryTransfer *self,
                                  gboolean       wait)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  self->wait_for_slot = !!wait;
}

/**
 * ferry_transfer_cancel:
 *
 * Stops the transfer and removes the partial download.
 */
void
ferry_transfer_cancel (FerryTransfer *self)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));

  if (state_is_finished (self->state))
    return;

  if (self->attempt != NULL)
    {
      self->cancel_requested = TRUE;
      attempt_fail (self->attempt, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                        _("The transfer was cancelled")));
      return;
    }

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->direction == FERRY_TRANSFER_DOWNLOAD)
    remove_partial (self);
  set_state (self, FERRY_TRANSFER_CANCELLED);
}

static void
run_cancelled_cb (GCancellable  *cancellable,
                  FerryTransfer *self)
{
  ferry_transfer_pause (self);
}

/**
 * ferry_transfer_run_async:
 * @cancellable: (nullable): cancelling pauses the transfer
 *
 * Starts the transfer and reports when it stops: done, failed, interrupted
 * (resume-on-reconnect off), paused or cancelled.
 */
void
ferry_transfer_run_async (FerryTransfer       *self,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FERRY_IS_TRANSFER (self));
  g_return_if_fail (self->run_task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_transfer_run_async);

  if (self->state == FERRY_TRANSFER_DONE)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (cancellable != NULL)
    {
      gulong id = g_cancellable_connect (cancellable, G_CALLBACK (run_cancelled_cb), self, NULL);
      g_task_set_task_data (task, GSIZE_TO_POINTER (id), NULL);
    }

  self->run_task = g_steal_pointer (&task);
  ferry_transfer_start (self);
}

/**
 * ferry_transfer_run_finish:
 *
 * Returns: %TRUE when the file arrived whole and checked
 */
gboolean
ferry_transfer_run_finish (FerryTransfer  *self,
                           GAsyncResult   *result,
                           GError        **error)
{
  GCancellable *cancellable;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  cancellable = g_task_get_cancellable (G_TASK (result));
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, GPOINTER_TO_SIZE (g_task_get_task_data (G_TASK (result))));

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ferry_transfer_set_pool:
 * @pool: (nullable): where logged-in connections are shared
 *
 * A transfer with a pool takes a logged-in connection from it when one is
 * there, and gives its own back when it ends well.
 */
void
ferry_transfer_set_pool (FerryTransfer *self,
                         FerryPool     *pool)
{
  g_return_if_fail (FERRY_IS_TRANSFER (self));
  g_return_if_fail (pool == NULL || FERRY_IS_POOL (pool));

  g_set_object (&self->pool, pool);
}
