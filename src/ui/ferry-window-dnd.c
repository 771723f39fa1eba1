/* ferry-window-dnd.c: uploads dropped on the file list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files and folders may be dropped.  A folder is recreated on the server
 * (MKD) and walked asynchronously, one level at a time, each level only
 * after its MKD answered, so that every upload finds its folder.  Links
 * inside a dropped folder are followed only when they stay inside it, and
 * special files (sockets, FIFOs, devices) are never opened.
 */

#define G_LOG_DOMAIN "ferry-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-window-private.h"

#define ENUMERATE_BATCH 64
#define WALK_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_NAME "," \
                        G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
                        G_FILE_ATTRIBUTE_STANDARD_SYMLINK_TARGET

typedef struct
{
  FerryWindow *self;
  FerrySite   *site;
  guint        pending;      /* asynchronous steps still running */
  guint        queued;
  guint        skipped;
  guint        failed;
  char        *first_error;
} UploadBatch;

typedef struct
{
  UploadBatch     *batch;
  GFile           *file;
  char            *root;     /* the dropped folder's path, NULL at the top */
  char            *remote;   /* where this item goes */
  GFileEnumerator *enumerator;
  gboolean         created;  /* a folder MKD made just now: empty on the server */
} UploadItem;

static void upload_item_start      (UploadBatch *batch,
                                    GFile       *file,
                                    const char  *root,
                                    const char  *remote_dir,
                                    gboolean     follow);
static void upload_item_mkdir      (UploadItem  *item);

static void
upload_batch_step_done (UploadBatch *batch)
{
  FerryWindow *self = batch->self;

  g_assert (batch->pending > 0);

  if (--batch->pending > 0)
    return;

  if (batch->first_error != NULL)
    _ferry_window_toast (self, batch->first_error);
  else if (batch->skipped > 0)
    {
      /* Translators: %u items were left out of an upload */
      g_autofree char *message =
        g_strdup_printf (ngettext ("%u item not uploaded: a link leading out of the folder, "
                                   "or not a regular file",
                                   "%u items not uploaded: links leading out of the folder, "
                                   "or not regular files",
                                   batch->skipped),
                         batch->skipped);
      _ferry_window_toast (self, message);
    }

  /* The uploads themselves need no toast: their rows show in the pane. */
  /* New folders appear in the list at once, their files as they finish. */
  _ferry_window_schedule_refresh (self);

  g_clear_object (&batch->self);
  g_clear_object (&batch->site);
  g_free (batch->first_error);
  g_free (batch);
}

static void
upload_batch_error (UploadBatch  *batch,
                    const char   *what,
                    const GError *error)
{
  batch->failed++;
  if (batch->first_error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Translators: "Cannot upload “photos”: Permission denied" */
    batch->first_error = g_strdup_printf (_("Cannot upload “%s”: %s"), what, error->message);
}

static void
upload_item_free (UploadItem *item)
{
  g_clear_object (&item->file);
  g_clear_object (&item->enumerator);
  g_free (item->root);
  g_free (item->remote);
  g_free (item);
}

static void
upload_item_done (UploadItem *item)
{
  UploadBatch *batch = item->batch;

  upload_item_free (item);
  upload_batch_step_done (batch);
}

static void
upload_queue_file (UploadBatch *batch,
                   GFile       *file,
                   const char  *remote,
                   gboolean     remote_absent)
{
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new_upload (batch->site, file, remote);

  /* Into a folder just made: no SIZE needed before the first STOR. */
  if (remote_absent)
    ferry_transfer_set_remote_absent (transfer);
  batch->queued++;
  _ferry_window_add_transfer (batch->self, transfer);
}

/* Whether a link at @link_path pointing at @target stays below @root.  The
 * check is lexical: a target that reaches the folder by another spelling
 * is skipped, which errs on the safe side. */
static gboolean
link_stays_inside (const char *link_path,
                   const char *target,
                   const char *root)
{
  g_autofree char *dir = g_path_get_dirname (link_path);
  g_autofree char *resolved = g_canonicalize_filename (target, dir);
  g_autofree char *prefix = g_str_has_suffix (root, "/") ? g_strdup (root) :
                            g_strconcat (root, "/", NULL);

  return g_str_has_prefix (resolved, prefix);
}

/* --- walking a folder --------------------------------------------------- */

static void next_files_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data);

static void
inside_link_info_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  UploadItem *item = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, &error);
  /* A link to a folder inside the folder would upload it twice, or loop. */
  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
    upload_queue_file (item->batch, item->file, item->remote, FALSE);
  else
    item->batch->skipped++;

  upload_item_done (item);
}

static void
upload_child (UploadItem *parent,
              GFileInfo  *info)
{
  UploadBatch *batch = parent->batch;
  const char *name = g_file_info_get_name (info);
  g_autoptr(GFile) child = NULL;
  g_autofree char *remote = NULL;

  if (name == NULL || !g_utf8_validate (name, -1, NULL) || !ferry_listing_name_is_safe (name, -1))
    {
      batch->skipped++;
      return;
    }

  child = g_file_get_child (parent->file, name);
  remote = ferry_remote_path_join (parent->remote, name);

  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_REGULAR:
      upload_queue_file (batch, child, remote, parent->created);
      break;

    case G_FILE_TYPE_DIRECTORY:
      {
        UploadItem *item = g_new0 (UploadItem, 1);

        item->batch = batch;
        item->file = g_steal_pointer (&child);
        item->root = g_strdup (parent->root);
        item->remote = g_steal_pointer (&remote);
        batch->pending++;
        upload_item_mkdir (item);
      }
      break;

    case G_FILE_TYPE_SYMBOLIC_LINK:
      {
        const char *target = g_file_info_get_symlink_target (info);
        g_autofree char *path = g_file_get_path (child);
        UploadItem *item;

        if (target == NULL || path == NULL || !link_stays_inside (path, target, parent->root))
          {
            g_debug ("Skipping %s: it links outside the dropped folder", name);
            batch->skipped++;
            break;
          }

        item = g_new0 (UploadItem, 1);
        item->batch = batch;
        item->file = g_steal_pointer (&child);
        item->remote = g_steal_pointer (&remote);
        batch->pending++;
        g_file_query_info_async (item->file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                 G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                                 batch->self->cancellable, inside_link_info_cb, item);
      }
      break;

    case G_FILE_TYPE_SPECIAL:
    case G_FILE_TYPE_SHORTCUT:
    case G_FILE_TYPE_MOUNTABLE:
    case G_FILE_TYPE_UNKNOWN:
    default:
      /* Never opened: reading a FIFO or a device could block forever. */
      batch->skipped++;
      break;
    }
}

static void
enumerator_close_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_file_enumerator_close_finish (G_FILE_ENUMERATOR (object), result, NULL);
}

static void
next_files_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  UploadItem *item = user_data;
  g_autoptr(GError) error = NULL;
  GList *infos;

  infos = g_file_enumerator_next_files_finish (G_FILE_ENUMERATOR (object), result, &error);
  if (error != NULL)
    {
      g_autofree char *name = g_file_get_basename (item->file);
      upload_batch_error (item->batch, name, error);
    }

  if (infos == NULL)
    {
      g_file_enumerator_close_async (item->enumerator, G_PRIORITY_DEFAULT, NULL,
                                     enumerator_close_cb, NULL);
      upload_item_done (item);
      return;
    }

  for (GList *l = infos; l != NULL; l = l->next)
    upload_child (item, l->data);
  g_list_free_full (infos, g_object_unref);

  g_file_enumerator_next_files_async (item->enumerator, ENUMERATE_BATCH, G_PRIORITY_DEFAULT,
                                      item->batch->self->cancellable, next_files_cb, item);
}

static void
enumerate_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  UploadItem *item = user_data;
  g_autoptr(GError) error = NULL;

  item->enumerator = g_file_enumerate_children_finish (G_FILE (object), result, &error);
  if (item->enumerator == NULL)
    {
      g_autofree char *name = g_file_get_basename (item->file);
      upload_batch_error (item->batch, name, error);
      upload_item_done (item);
      return;
    }

  g_file_enumerator_next_files_async (item->enumerator, ENUMERATE_BATCH, G_PRIORITY_DEFAULT,
                                      item->batch->self->cancellable, next_files_cb, item);
}

static void
mkd_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  UploadItem *item = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  guint code;

  reply = ferry_control_command_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    {
      upload_batch_error (item->batch, item->remote, error);
      upload_item_done (item);
      return;
    }

  /* 550 and 521 are how servers say the folder exists already (RFC 959
   * gives no code for it); uploading into it is what the user wants. */
  code = ferry_reply_get_code (reply);
  if (ferry_reply_get_class (reply) != 2 && code != 550 && code != 521)
    {
      g_autoptr(GError) refused = ferry_ftp_error_from_reply (reply, _("The server refused MKD"));
      upload_batch_error (item->batch, item->remote, refused);
      upload_item_done (item);
      return;
    }

  item->created = code == 257;

  /* Links are not followed here: each one is checked on its own. */
  g_file_enumerate_children_async (item->file, WALK_ATTRIBUTES,
                                   G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, G_PRIORITY_DEFAULT,
                                   item->batch->self->cancellable, enumerate_cb, item);
}

static void
upload_item_mkdir (UploadItem *item)
{
  FerryWindow *self = item->batch->self;

  if (self->control == NULL || !ferry_control_get_connected (self->control))
    {
      g_autoptr(GError) error = g_error_new_literal (FERRY_FTP_ERROR,
                                                     FERRY_FTP_ERROR_NOT_CONNECTED,
                                                     _("Not connected to a server"));
      upload_batch_error (item->batch, item->remote, error);
      upload_item_done (item);
      return;
    }

  ferry_control_command_async (self->control, "MKD", item->remote,
                               FERRY_EXPECT_2YZ | FERRY_EXPECT_5YZ, self->cancellable,
                               mkd_cb, item);
}

/* --- the dropped items themselves --------------------------------------- */

static void
top_info_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  UploadItem *item = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, &error);
  if (info == NULL)
    {
      g_autofree char *name = g_file_get_basename (item->file);
      upload_batch_error (item->batch, name, error);
      upload_item_done (item);
      return;
    }

  switch (g_file_info_get_file_type (info))
    {
    case G_FILE_TYPE_REGULAR:
      upload_queue_file (item->batch, item->file, item->remote, FALSE);
      upload_item_done (item);
      break;

    case G_FILE_TYPE_DIRECTORY:
      item->root = g_file_get_path (item->file);
      if (item->root == NULL)
        {
          item->batch->skipped++;
          upload_item_done (item);
          break;
        }
      upload_item_mkdir (item);
      break;

    case G_FILE_TYPE_SYMBOLIC_LINK:
    case G_FILE_TYPE_SPECIAL:
    case G_FILE_TYPE_SHORTCUT:
    case G_FILE_TYPE_MOUNTABLE:
    case G_FILE_TYPE_UNKNOWN:
    default:
      item->batch->skipped++;
      upload_item_done (item);
      break;
    }
}

static void
upload_item_start (UploadBatch *batch,
                   GFile       *file,
                   const char  *root,
                   const char  *remote_dir,
                   gboolean     follow)
{
  g_autofree char *name = g_file_get_basename (file);
  UploadItem *item;

  if (name == NULL || !g_utf8_validate (name, -1, NULL) || !ferry_listing_name_is_safe (name, -1))
    {
      batch->skipped++;
      return;
    }

  item = g_new0 (UploadItem, 1);
  item->batch = batch;
  item->file = g_object_ref (file);
  item->root = g_strdup (root);
  item->remote = ferry_remote_path_join (remote_dir, name);
  batch->pending++;

  /* What the user dropped is taken as meant, links included. */
  g_file_query_info_async (file, WALK_ATTRIBUTES,
                           follow ? G_FILE_QUERY_INFO_NONE : G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                           G_PRIORITY_DEFAULT, batch->self->cancellable, top_info_cb, item);
}

/**
 * _ferry_window_upload:
 * @files: (element-type GFile): local files and folders
 * @remote_dir: the remote folder they go into
 *
 * Queues an upload per file, recreating folders on the server.  Returns at
 * once; the folders are walked in the background.
 */
void
_ferry_window_upload (FerryWindow *self,
                      GSList      *files,
                      const char  *remote_dir)
{
  UploadBatch *batch;

  g_assert (FERRY_IS_WINDOW (self));
  g_assert (remote_dir != NULL);

  if (self->site == NULL || files == NULL)
    return;

  batch = g_new0 (UploadBatch, 1);
  batch->self = g_object_ref (self);
  batch->site = g_object_ref (self->site);
  /* Held until every file was looked at, so the summary comes once. */
  batch->pending = 1;

  for (GSList *l = files; l != NULL; l = l->next)
    upload_item_start (batch, l->data, NULL, remote_dir, TRUE);

  upload_batch_step_done (batch);
}

/* --- the drop target ---------------------------------------------------- */

static gboolean
drop_cb (FerryWindow   *self,
         const GValue  *value,
         double         x,
         double         y,
         GtkDropTarget *target)
{
  g_autoptr(GSList) files = NULL;
  const char *path = ferry_browser_get_path (self->browser);

  ferry_browser_set_drop_active (self->browser, FALSE);

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || path == NULL ||
      self->control == NULL || !ferry_control_get_connected (self->control))
    return FALSE;

  /* Under Flatpak these are document portal paths: only names are shown. */
  files = gdk_file_list_get_files (g_value_get_boxed (value));
  _ferry_window_upload (self, files, path);

  return TRUE;
}

static GdkDragAction
drop_enter_cb (FerryWindow   *self,
               double         x,
               double         y,
               GtkDropTarget *target)
{
  gboolean ok = self->control != NULL && ferry_control_get_connected (self->control) &&
                ferry_browser_get_path (self->browser) != NULL;

  ferry_browser_set_drop_active (self->browser, ok);
  return ok ? GDK_ACTION_COPY : 0;
}

static void
drop_leave_cb (FerryWindow   *self,
               GtkDropTarget *target)
{
  ferry_browser_set_drop_active (self->browser, FALSE);
}

/**
 * _ferry_window_dnd_init:
 *
 * Makes the file list a drop target for files and folders.
 */
void
_ferry_window_dnd_init (FerryWindow *self)
{
  g_assert (FERRY_IS_WINDOW (self));

  self->drop_target = g_object_ref (gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY));
  g_signal_connect_object (self->drop_target, "drop", G_CALLBACK (drop_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drop_target, "enter", G_CALLBACK (drop_enter_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drop_target, "leave", G_CALLBACK (drop_leave_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (self->browser),
                             GTK_EVENT_CONTROLLER (self->drop_target));
}
