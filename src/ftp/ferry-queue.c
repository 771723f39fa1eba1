/* ferry-queue.c: the transfer list, running a few at a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-queue"

#include "config.h"

#include "ferry-ftp-enums.h"
#include "ferry-queue.h"

/* One transfer in the list, with what it last added to the queue's sums.
 * Notifications only mark it dirty; the queue reads it again later and
 * moves the sums by the difference, so no update walks the whole list.
 * This holds because FerryTransfer tells every change of what is read here
 * (state, total-size, speed, and bytes-done, whose getter returns the count
 * last told). */
typedef struct
{
  /* Owned */
  FerryTransfer      *transfer;

  /* Borrowed */
  FerryQueue         *queue;

  FerryTransferState  state;
  gint64              total;
  gint64              done;
  double              speed;
  guint               busy : 1;
  guint               slot : 1;
  guint               dirty : 1;
} Entry;

struct _FerryQueue
{
  GObject     parent_instance;

  /* Owned */
  GPtrArray  *items;     /* of Entry, in list order */
  FerryPool  *pool;

  /* Borrowed: entries of items */
  GPtrArray  *dirty;     /* changed since they were last read */
  GPtrArray  *moving;    /* those whose speed is not 0 */

  /* Sums over the entries as last read */
  gint64      sum_total;
  gint64      sum_done;
  guint       n_busy;
  guint       n_slot;
  /* No entry before this index is QUEUED. */
  guint       first_queued;

  /* The values last told, as properties */
  guint       max_parallel;
  guint       update_id;
  guint       n_active;
  gint64      total_size;
  gint64      bytes_done;
  double      speed;
  guint       n_busy_told;
  guint       resume_on_reconnect : 1;
  guint       busy : 1;
  guint       speed_changed : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FerryQueue, ferry_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_MAX_PARALLEL,
  PROP_RESUME_ON_RECONNECT,
  PROP_N_ACTIVE,
  PROP_N_ITEMS,
  PROP_TOTAL_SIZE,
  PROP_BYTES_DONE,
  PROP_FRACTION,
  PROP_SPEED,
  PROP_ETA,
  PROP_BUSY,
  PROP_N_BUSY,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_signal_handlers_disconnect_by_data (entry->transfer, entry);
  g_object_unref (entry->transfer);
  g_free (entry);
}

static GType
list_get_item_type (GListModel *model)
{
  return FERRY_TYPE_TRANSFER;
}

static guint
list_get_n_items (GListModel *model)
{
  return FERRY_QUEUE (model)->items->len;
}

static gpointer
list_get_item (GListModel *model,
               guint       position)
{
  FerryQueue *self = FERRY_QUEUE (model);
  Entry *entry;

  if (position >= self->items->len)
    return NULL;

  entry = g_ptr_array_index (self->items, position);
  return g_object_ref (entry->transfer);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_get_item_type;
  iface->get_n_items = list_get_n_items;
  iface->get_item = list_get_item;
}

static gboolean
state_holds_slot (FerryTransferState state)
{
  /* A transfer waiting to reconnect keeps its place: it is coming back. */
  return state == FERRY_TRANSFER_CONNECTING || state == FERRY_TRANSFER_TRANSFERRING ||
         state == FERRY_TRANSFER_VERIFYING || state == FERRY_TRANSFER_RETRYING;
}

/* Takes @entry's part out of the sums, as if it held nothing. */
static void
ferry_queue_forget_entry (FerryQueue *self,
                          Entry      *entry)
{
  g_assert (FERRY_IS_QUEUE (self));

  self->sum_total -= entry->total;
  self->sum_done -= entry->done;
  if (entry->busy)
    self->n_busy--;
  if (entry->slot)
    self->n_slot--;
  if (entry->speed != 0)
    {
      g_ptr_array_remove (self->moving, entry);
      self->speed_changed = TRUE;
    }
  if (entry->dirty)
    g_ptr_array_remove_fast (self->dirty, entry);

  /* Never started again by the scheduler while it is on its way out. */
  entry->state = FERRY_TRANSFER_CANCELLED;
  entry->total = 0;
  entry->done = 0;
  entry->speed = 0;
  entry->busy = FALSE;
  entry->slot = FALSE;
  entry->dirty = FALSE;
}

/* Reads @entry's transfer again and moves the sums by the difference. */
static void
ferry_queue_read_entry (FerryQueue *self,
                        Entry      *entry)
{
  FerryTransferState state = ferry_transfer_get_state (entry->transfer);
  gint64 size = ferry_transfer_get_total_size (entry->transfer);
  gint64 total = 0, done = 0;
  double speed = 0;
  gboolean busy = FALSE;
  gboolean slot = state_holds_slot (state);

  g_assert (FERRY_IS_QUEUE (self));

  /* Failed and cancelled transfers count for nothing. */
  if (state != FERRY_TRANSFER_CANCELLED && state != FERRY_TRANSFER_FAILED)
    {
      /* Busy while something runs or waits its turn; paused and
       * interrupted transfers wait for the user, not for the queue. */
      busy = state == FERRY_TRANSFER_QUEUED || slot;
      total = MAX (size, 0);
      done = state == FERRY_TRANSFER_DONE && size > 0 ?
             size : ferry_transfer_get_bytes_done (entry->transfer);
      speed = ferry_transfer_get_speed (entry->transfer);
    }

  self->sum_total += total - entry->total;
  self->sum_done += done - entry->done;
  if (busy != entry->busy)
    {
      if (busy)
        self->n_busy++;
      else
        self->n_busy--;
    }
  if (slot != entry->slot)
    {
      if (slot)
        self->n_slot++;
      else
        self->n_slot--;
    }
  if (speed != entry->speed)
    {
      if (entry->speed == 0)
        g_ptr_array_add (self->moving, entry);
      else if (speed == 0)
        g_ptr_array_remove (self->moving, entry);
      self->speed_changed = TRUE;
    }

  /* Back to QUEUED (FerryTransfer never goes back today, but nothing
   * forbids it): the scheduler must look back that far. */
  if (state == FERRY_TRANSFER_QUEUED && entry->state != FERRY_TRANSFER_QUEUED)
    {
      for (guint i = 0; i < self->first_queued; i++)
        {
          if (g_ptr_array_index (self->items, i) == entry)
            {
              self->first_queued = i;
              break;
            }
        }
    }

  entry->state = state;
  entry->total = total;
  entry->done = done;
  entry->speed = speed;
  entry->busy = busy;
  entry->slot = slot;
}

static void
ferry_queue_read_dirty (FerryQueue *self)
{
  g_assert (FERRY_IS_QUEUE (self));

  /* Reading calls no one back, so the array cannot change under us. */
  for (guint i = 0; i < self->dirty->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->dirty, i);

      entry->dirty = FALSE;
      ferry_queue_read_entry (self, entry);
    }
  g_ptr_array_set_size (self->dirty, 0);
}

static void
ferry_queue_update_totals (FerryQueue *self)
{
  double old_fraction = ferry_queue_get_fraction (self);
  gint64 old_eta = ferry_queue_get_eta (self);
  gboolean busy = self->n_busy > 0;

  g_assert (FERRY_IS_QUEUE (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->total_size != self->sum_total)
    {
      self->total_size = self->sum_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TOTAL_SIZE]);
    }
  if (self->bytes_done != self->sum_done)
    {
      self->bytes_done = self->sum_done;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BYTES_DONE]);
    }
  /* Summed afresh over the few transfers that move rather than kept as a
   * running sum: rounding errors would pile up, and with nothing moving
   * the sum is exactly 0. */
  if (self->speed_changed)
    {
      double speed = 0;

      for (guint i = 0; i < self->moving->len; i++)
        speed += ((Entry *) g_ptr_array_index (self->moving, i))->speed;

      self->speed_changed = FALSE;
      if (self->speed != speed)
        {
          self->speed = speed;
          g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SPEED]);
        }
    }
  if (self->busy != busy)
    {
      self->busy = busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BUSY]);
    }
  if (self->n_busy_told != self->n_busy)
    {
      self->n_busy_told = self->n_busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_BUSY]);
    }
  if (old_fraction != ferry_queue_get_fraction (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FRACTION]);
  if (old_eta != ferry_queue_get_eta (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ETA]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
ferry_queue_schedule (FerryQueue *self)
{
  g_assert (FERRY_IS_QUEUE (self));

  ferry_queue_read_dirty (self);

  /* Oldest first.  Starting a transfer tells its new state at once, and
   * whoever listens may add or remove items: read again after each. */
  while (self->n_slot < self->max_parallel && self->first_queued < self->items->len)
    {
      Entry *entry = g_ptr_array_index (self->items, self->first_queued);

      self->first_queued++;
      if (entry->state != FERRY_TRANSFER_QUEUED)
        continue;

      ferry_transfer_start (entry->transfer);
      ferry_queue_read_dirty (self);
    }

  if (self->n_active != self->n_slot)
    {
      self->n_active = self->n_slot;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ACTIVE]);
    }
}

static gboolean
update_idle_cb (gpointer user_data)
{
  FerryQueue *self = user_data;

  self->update_id = 0;
  ferry_queue_schedule (self);
  ferry_queue_update_totals (self);
  return G_SOURCE_REMOVE;
}

/* Notifications only mark their transfer; those that arrive together are
 * read once, as soon as the main loop is free. */
static void
ferry_queue_queue_update (FerryQueue *self)
{
  if (self->update_id == 0)
    self->update_id = g_idle_add_full (G_PRIORITY_DEFAULT, update_idle_cb, self, NULL);
}

static void
transfer_changed_cb (FerryTransfer *transfer,
                     GParamSpec    *pspec,
                     Entry         *entry)
{
  if (!entry->dirty)
    {
      entry->dirty = TRUE;
      g_ptr_array_add (entry->queue->dirty, entry);
    }
  ferry_queue_queue_update (entry->queue);
}

static void
ferry_queue_dispose (GObject *object)
{
  FerryQueue *self = (FerryQueue *)object;

  g_clear_handle_id (&self->update_id, g_source_remove);
  /* The entries disconnect from their transfers as they go. */
  g_ptr_array_set_size (self->dirty, 0);
  g_ptr_array_set_size (self->moving, 0);
  g_ptr_array_set_size (self->items, 0);
  self->sum_total = 0;
  self->sum_done = 0;
  self->n_busy = 0;
  self->n_slot = 0;
  self->first_queued = 0;
  /* Transfers may outlive the queue and keep a reference to the pool; the
   * idle connections it holds close now all the same. */
  if (self->pool != NULL)
    g_object_run_dispose (G_OBJECT (self->pool));

  G_OBJECT_CLASS (ferry_queue_parent_class)->dispose (object);
}

static void
ferry_queue_finalize (GObject *object)
{
  FerryQueue *self = (FerryQueue *)object;

  g_ptr_array_unref (self->items);
  g_ptr_array_unref (self->dirty);
  g_ptr_array_unref (self->moving);
  g_clear_object (&self->pool);

  G_OBJECT_CLASS (ferry_queue_parent_class)->finalize (object);
}

static void
ferry_queue_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FerryQueue *self = FERRY_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_PARALLEL:
      g_value_set_uint (value, self->max_parallel);
      break;
    case PROP_RESUME_ON_RECONNECT:
      g_value_set_boolean (value, self->resume_on_reconnect);
      break;
    case PROP_N_ACTIVE:
      g_value_set_uint (value, self->n_active);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    case PROP_TOTAL_SIZE:
      g_value_set_int64 (value, self->total_size);
      break;
    case PROP_BYTES_DONE:
      g_value_set_int64 (value, self->bytes_done);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, ferry_queue_get_fraction (self));
      break;
    case PROP_SPEED:
      g_value_set_double (value, self->speed);
      break;
    case PROP_ETA:
      g_value_set_int64 (value, ferry_queue_get_eta (self));
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_N_BUSY:
      g_value_set_uint (value, self->n_busy_told);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_queue_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  FerryQueue *self = FERRY_QUEUE (object);

  switch (prop_id)
    {
    case PROP_MAX_PARALLEL:
      ferry_queue_set_max_parallel (self, g_value_get_uint (value));
      break;
    case PROP_RESUME_ON_RECONNECT:
      ferry_queue_set_resume_on_reconnect (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_queue_class_init (FerryQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = ferry_queue_dispose;
  object_class->finalize = ferry_queue_finalize;
  object_class->get_property = ferry_queue_get_property;
  object_class->set_property = ferry_queue_set_property;

  properties [PROP_MAX_PARALLEL] =
    g_param_spec_uint ("max-parallel", NULL, NULL, 1, 64, 2, rw);
  properties [PROP_RESUME_ON_RECONNECT] =
    g_param_spec_boolean ("resume-on-reconnect", NULL, NULL, TRUE, rw);
  properties [PROP_N_ACTIVE] =
    g_param_spec_uint ("n-active", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties [PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties [PROP_TOTAL_SIZE] =
    g_param_spec_int64 ("total-size", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties [PROP_BYTES_DONE] =
    g_param_spec_int64 ("bytes-done", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties [PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, ro);
  properties [PROP_SPEED] =
    g_param_spec_double ("speed", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties [PROP_ETA] =
    g_param_spec_int64 ("eta", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties [PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE, ro);
  properties [PROP_N_BUSY] =
    g_param_spec_uint ("n-busy", NULL, NULL, 0, G_MAXUINT, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_queue_init (FerryQueue *self)
{
  self->items = g_ptr_array_new_with_free_func (entry_free);
  self->dirty = g_ptr_array_new ();
  self->moving = g_ptr_array_new ();
  self->pool = ferry_pool_new ();
  self->max_parallel = 2;
  self->resume_on_reconnect = TRUE;
}

static void
ferry_queue_remove_at (FerryQueue *self,
                       guint       position)
{
  g_autoptr(FerryTransfer) transfer = NULL;
  Entry *entry;

  g_assert (FERRY_IS_QUEUE (self));
  g_assert (position < self->items->len);

  entry = g_ptr_array_index (self->items, position);
  transfer = g_object_ref (entry->transfer);

  /* What it does from now on is not the queue's business. */
  g_signal_handlers_disconnect_by_data (transfer, entry);
  ferry_transfer_set_wait_for_slot (transfer, FALSE);
  ferry_queue_forget_entry (self, entry);
  if (!ferry_transfer_is_finished (transfer))
    ferry_transfer_cancel (transfer);

  /* Whoever heard the cancellation may have changed the list. */
  if (position >= self->items->len || g_ptr_array_index (self->items, position) != entry)
    {
      if (!g_ptr_array_find (self->items, entry, &position))
        return;
    }
  if (position < self->first_queued)
    self->first_queued--;
  g_ptr_array_remove_index (self->items, position);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ITEMS]);

  ferry_queue_schedule (self);
  ferry_queue_update_totals (self);
}

/**
 * ferry_queue_new:
 *
 * Returns: (transfer full): an empty queue running two transfers at a time
 */
FerryQueue *
ferry_queue_new (void)
{
  return g_object_new (FERRY_TYPE_QUEUE, NULL);
}

/**
 * ferry_queue_add:
 * @transfer: a queued transfer
 *
 * Appends @transfer; it starts when a slot is free.  The queue's
 * resume-on-reconnect setting is applied to it.
 */
void
ferry_queue_add (FerryQueue    *self,
                 FerryTransfer *transfer)
{
  Entry *entry;
  guint position;

  g_return_if_fail (FERRY_IS_QUEUE (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  entry = g_new0 (Entry, 1);
  entry->transfer = g_object_ref (transfer);
  entry->queue = self;
  /* Appended, so at or after first_queued: nothing to look back for. */
  entry->state = FERRY_TRANSFER_QUEUED;

  position = self->items->len;
  g_ptr_array_add (self->items, entry);
  ferry_transfer_set_resume_on_reconnect (transfer, self->resume_on_reconnect);
  /* Transfers in one queue share logged-in connections between files. */
  ferry_transfer_set_pool (transfer, self->pool);
  ferry_transfer_set_wait_for_slot (transfer, TRUE);

  g_signal_connect (transfer, "notify::state", G_CALLBACK (transfer_changed_cb), entry);
  g_signal_connect (transfer, "notify::bytes-done", G_CALLBACK (transfer_changed_cb), entry);
  g_signal_connect (transfer, "notify::total-size", G_CALLBACK (transfer_changed_cb), entry);
  g_signal_connect (transfer, "notify::speed", G_CALLBACK (transfer_changed_cb), entry);
  ferry_queue_read_entry (self, entry);

  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_ITEMS]);

  /* At once, not in the idle: a caller may look at busy right after
   * adding (ferry-cli does).  Both cost only what changed since. */
  ferry_queue_schedule (self);
  ferry_queue_update_totals (self);
}

/**
 * ferry_queue_remove:
 * @transfer: a transfer in the queue
 *
 * Removes @transfer from the list; it is cancelled if it still runs.
 */
void
ferry_queue_remove (FerryQueue    *self,
                    FerryTransfer *transfer)
{
  g_return_if_fail (FERRY_IS_QUEUE (self));
  g_return_if_fail (FERRY_IS_TRANSFER (transfer));

  for (guint i = 0; i < self->items->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->items, i);

      if (entry->transfer == transfer)
        {
          ferry_queue_remove_at (self, i);
          return;
        }
    }
}

/**
 * ferry_queue_clear_finished:
 *
 * Removes the transfers that are done, failed or cancelled.
 */
void
ferry_queue_clear_finished (FerryQueue *self)
{
  g_return_if_fail (FERRY_IS_QUEUE (self));

  /* Removing may call back into the queue: check the length each time. */
  for (guint i = self->items->len; i > 0; i--)
    {
      Entry *entry;

      if (i > self->items->len)
        continue;

      entry = g_ptr_array_index (self->items, i - 1);
      if (ferry_transfer_is_finished (entry->transfer))
        ferry_queue_remove_at (self, i - 1);
    }
}

/**
 * ferry_queue_get_max_parallel:
 *
 * Returns: how many transfers run at once
 */
guint
ferry_queue_get_max_parallel (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), 0);
  return self->max_parallel;
}

/**
 * ferry_queue_set_max_parallel:
 * @max_parallel: at least 1
 *
 * Each running transfer has its own connection.
 */
void
ferry_queue_set_max_parallel (FerryQueue *self,
                              guint       max_parallel)
{
  g_return_if_fail (FERRY_IS_QUEUE (self));

  max_parallel = CLAMP (max_parallel, 1, 64);
  if (self->max_parallel == max_parallel)
    return;

  self->max_parallel = max_parallel;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MAX_PARALLEL]);
  ferry_queue_schedule (self);
}

/**
 * ferry_queue_get_resume_on_reconnect:
 *
 * Returns: whether transfers reconnect by themselves
 */
gboolean
ferry_queue_get_resume_on_reconnect (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), FALSE);
  return self->resume_on_reconnect;
}

/**
 * ferry_queue_set_resume_on_reconnect:
 * @resume: the switch's state
 *
 * Applies to every transfer in the queue, from its next failure on.
 */
void
ferry_queue_set_resume_on_reconnect (FerryQueue *self,
                                     gboolean    resume)
{
  g_return_if_fail (FERRY_IS_QUEUE (self));

  resume = !!resume;
  if (self->resume_on_reconnect == resume)
    return;

  self->resume_on_reconnect = resume;
  for (guint i = 0; i < self->items->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->items, i);

      ferry_transfer_set_resume_on_reconnect (entry->transfer, resume);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RESUME_ON_RECONNECT]);
}

/**
 * ferry_queue_get_n_active:
 *
 * Returns: transfers holding a slot (connecting, moving, verifying, retrying)
 */
guint
ferry_queue_get_n_active (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), 0);
  return self->n_active;
}

/**
 * ferry_queue_get_total_size:
 *
 * Returns: bytes of all transfers not failed or cancelled
 */
gint64
ferry_queue_get_total_size (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), 0);
  return self->total_size;
}

/**
 * ferry_queue_get_bytes_done:
 *
 * Returns: bytes moved of ferry_queue_get_total_size()
 */
gint64
ferry_queue_get_bytes_done (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), 0);
  return self->bytes_done;
}

/**
 * ferry_queue_get_fraction:
 *
 * Returns: 0 to 1
 */
double
ferry_queue_get_fraction (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), 0);

  if (self->total_size <= 0)
    return 0;
  return CLAMP ((double) self->bytes_done / self->total_size, 0, 1);
}

/**
 * ferry_queue_get_speed:
 *
 * Returns: the sum of the transfers' speeds, bytes per second
 */
double
ferry_queue_get_speed (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), 0);
  return self->speed;
}

/**
 * ferry_queue_get_eta:
 *
 * Returns: seconds until all is moved at the present speed, -1 unknown
 */
gint64
ferry_queue_get_eta (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), -1);

  if (self->speed <= 0 || self->total_size <= self->bytes_done)
    return -1;
  return (gint64) ((self->total_size - self->bytes_done) / self->speed + 0.5);
}

/**
 * ferry_queue_get_busy:
 *
 * Returns: whether any transfer is queued or running (paused and
 *   interrupted ones wait for the user and do not count)
 */
gboolean
ferry_queue_get_busy (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), FALSE);
  return self->busy;
}

/**
 * ferry_queue_get_n_busy:
 *
 * Returns: how many transfers are queued or running (what
 *   #FerryQueue:busy says is more than none)
 */
guint
ferry_queue_get_n_busy (FerryQueue *self)
{
  g_return_val_if_fail (FERRY_IS_QUEUE (self), 0);
  return self->n_busy_told;
}
