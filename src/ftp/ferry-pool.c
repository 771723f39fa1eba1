/* ferry-pool.c: logged-in connections kept for the next transfer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A thousand small files each paying for connect, greeting, USER, PASS,
 * FEAT and TYPE I spend more time logging in than moving bytes.  A transfer
 * that ends well gives its connection back here; the next transfer to the
 * same login takes it.  Idle connections say QUIT after a while, before the
 * server's own idle timeout closes them under us.
 */

#define G_LOG_DOMAIN "ferry-pool"

#include "config.h"

#include "ferry-pool.h"

#define DEFAULT_IDLE_TIMEOUT 15

typedef struct
{
  char         *key;
  FerryControl *control;
  gint64        since;
} Entry;

struct _FerryPool
{
  GObject    parent_instance;

  /* Owned */
  GPtrArray *entries;

  guint      idle_timeout;
  guint      sweep_id;
};

G_DEFINE_FINAL_TYPE (FerryPool, ferry_pool, G_TYPE_OBJECT)

static char *
site_key (FerrySite *site)
{
  /* The password is part of the key (in memory only): a connection logged
   * in with one password is not lent to a transfer given another. */
  return g_strdup_printf ("%s\n%u\n%s\n%s", ferry_site_get_host (site), ferry_site_get_port (site),
                          ferry_site_get_user (site) ? ferry_site_get_user (site) : "",
                          ferry_site_get_password (site) ? ferry_site_get_password (site) : "");
}

static void
closed_cb (FerryControl *control,
           const GError *error,
           FerryPool    *self);

static void
entry_free (Entry *entry)
{
  g_signal_handlers_disconnect_matched (entry->control, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        closed_cb, NULL);
  g_free (entry->key);
  g_object_unref (entry->control);
  g_free (entry);
}

static void
closed_cb (FerryControl *control,
           const GError *error,
           FerryPool    *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->control == control)
        {
          g_ptr_array_remove_index (self->entries, i);
          return;
        }
    }
}

static void
quit_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  ferry_control_close_finish (FERRY_CONTROL (object), result, NULL);
}

static gboolean
sweep_cb (gpointer user_data)
{
  FerryPool *self = user_data;
  gint64 now = g_get_monotonic_time ();

  for (guint i = self->entries->len; i > 0; i--)
    {
      Entry *entry = g_ptr_array_index (self->entries, i - 1);

      if (now - entry->since >= (gint64) self->idle_timeout * G_USEC_PER_SEC)
        {
          g_autoptr(FerryControl) control = g_object_ref (entry->control);

          g_ptr_array_remove_index (self->entries, i - 1);
          ferry_control_close_async (control, NULL, quit_cb, NULL);
        }
    }

  if (self->entries->len == 0)
    {
      self->sweep_id = 0;
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
ferry_pool_dispose (GObject *object)
{
  FerryPool *self = (FerryPool *)object;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      ferry_control_abort (entry->control, NULL);
    }
  g_ptr_array_set_size (self->entries, 0);

  G_OBJECT_CLASS (ferry_pool_parent_class)->dispose (object);
}

static void
ferry_pool_finalize (GObject *object)
{
  FerryPool *self = (FerryPool *)object;

  g_ptr_array_unref (self->entries);

  G_OBJECT_CLASS (ferry_pool_parent_class)->finalize (object);
}

static void
ferry_pool_class_init (FerryPoolClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ferry_pool_dispose;
  object_class->finalize = ferry_pool_finalize;
}

static void
ferry_pool_init (FerryPool *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
}

/**
 * ferry_pool_new:
 *
 * Returns: (transfer full): an empty pool
 */
FerryPool *
ferry_pool_new (void)
{
  return g_object_new (FERRY_TYPE_POOL, NULL);
}

/**
 * ferry_pool_take:
 * @site: the login wanted
 *
 * Returns: (transfer full) (nullable): a logged-in, idle connection to
 *   @site, or %NULL when there is none
 */
FerryControl *
ferry_pool_take (FerryPool *self,
                 FerrySite *site)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (FERRY_IS_POOL (self), NULL);
  g_return_val_if_fail (FERRY_IS_SITE (site), NULL);

  key = site_key (site);
  for (guint i = self->entries->len; i > 0; i--)
    {
      Entry *entry = g_ptr_array_index (self->entries, i - 1);

      if (g_str_equal (entry->key, key) && ferry_control_get_connected (entry->control))
        {
          FerryControl *control = g_object_ref (entry->control);

          g_ptr_array_remove_index (self->entries, i - 1);
          return control;
        }
    }

  return NULL;
}

/**
 * ferry_pool_give:
 * @site: the login @control has
 * @control: a logged-in connection with nothing in flight
 *
 * Keeps @control for the next transfer to @site.
 */
void
ferry_pool_give (FerryPool    *self,
                 FerrySite    *site,
                 FerryControl *control)
{
  Entry *entry;

  g_return_if_fail (FERRY_IS_POOL (self));
  g_return_if_fail (FERRY_IS_SITE (site));
  g_return_if_fail (FERRY_IS_CONTROL (control));

  if (!ferry_control_get_connected (control) || self->idle_timeout == 0)
    {
      ferry_control_abort (control, NULL);
      return;
    }

  entry = g_new0 (Entry, 1);
  entry->key = site_key (site);
  entry->control = g_object_ref (control);
  entry->since = g_get_monotonic_time ();
  g_signal_connect (control, "closed", G_CALLBACK (closed_cb), self);
  g_ptr_array_add (self->entries, entry);

  if (self->sweep_id == 0)
    self->sweep_id = g_timeout_add_seconds (1, sweep_cb, self);
}

/**
 * ferry_pool_get_n_idle:
 *
 * Returns: how many connections wait in the pool
 */
guint
ferry_pool_get_n_idle (FerryPool *self)
{
  g_return_val_if_fail (FERRY_IS_POOL (self), 0);
  return self->entries->len;
}

/**
 * ferry_pool_set_idle_timeout:
 * @seconds: how long an unused connection is kept; 0 keeps none
 *
 * Sets the idle timeout.
 */
void
ferry_pool_set_idle_timeout (FerryPool *self,
                             guint      seconds)
{
  g_return_if_fail (FERRY_IS_POOL (self));
  self->idle_timeout = seconds;
}
