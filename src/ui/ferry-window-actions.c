/* ferry-window-actions.c: what the window's buttons, menus and keys do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-ui-util.h"
#include "ferry-window-private.h"

static gboolean
ferry_window_is_connected_for_ops (FerryWindow *self)
{
  return self->control != NULL && ferry_control_get_connected (self->control);
}

/* --- connection --------------------------------------------------------- */

static void
ferry_window_connect_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(FerrySite) site = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  /* The Retry of a failed reconnect comes here only from the form. */
  site = ferry_connect_page_get_site (self->connect_page, &path, &error);
  if (site == NULL)
    {
      ferry_connect_page_set_error (self->connect_page, error->message);
      return;
    }

  _ferry_window_connect (self, site, path);
}

static void
ferry_window_reconnect_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(FerrySite) site = NULL;
  g_autofree char *path = NULL;

  if (self->site == NULL)
    return;

  site = g_object_ref (self->site);
  path = g_strdup (ferry_browser_get_path (self->browser) != NULL ?
                   ferry_browser_get_path (self->browser) : self->start_path);
  _ferry_window_connect (self, site, path);
}

static void
ferry_window_disconnect_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  self->connecting = FALSE;
  ferry_connect_page_set_busy (self->connect_page, FALSE);

  if (self->control != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->control, self);
      if (ferry_control_get_connected (self->control))
        ferry_control_close_async (self->control, NULL, NULL, NULL);
      g_clear_object (&self->control);
    }
  ferry_browser_set_control (self->browser, NULL);
  if (self->lost_toast != NULL)
    adw_toast_dismiss (self->lost_toast);

  _ferry_window_show_page (self, "connect");
  ferry_connect_page_focus (self->connect_page);
}

/* --- navigation --------------------------------------------------------- */

static void
ferry_window_refresh_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  ferry_browser_reload (FERRY_WINDOW (widget)->browser);
}

static void
ferry_window_go_up_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ferry_browser_go_up (FERRY_WINDOW (widget)->browser);
}

static void
ferry_window_open_selected_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_browser_get_selected (self->browser);
  g_autoptr(GFile) folder = NULL;

  if (files->len == 1 && ferry_remote_file_is_directory (g_ptr_array_index (files, 0)))
    {
      g_autofree char *path = ferry_remote_path_join (ferry_browser_get_path (self->browser),
                                                      ferry_remote_file_get_name (g_ptr_array_index (files, 0)));
      ferry_browser_load (self->browser, path);
      return;
    }

  folder = ferry_download_folder (self->settings);
  _ferry_window_download (self, files, folder);
}

/* --- file operations ---------------------------------------------------- */

typedef struct
{
  FerryWindow *self;
  char        *name;     /* to select afterwards */
  guint        pending;
  guint        failed;
  char        *first_error;
} OpData;

static void
op_data_free (OpData *data)
{
  g_clear_object (&data->self);
  g_free (data->name);
  g_free (data->first_error);
  g_free (data);
}

static OpData *
op_data_new (FerryWindow *self,
             const char  *name)
{
  OpData *data = g_new0 (OpData, 1);

  data->self = g_object_ref (self);
  data->name = g_strdup (name);
  return data;
}

static void
op_data_done (OpData *data)
{
  FerryWindow *self = data->self;

  if (--data->pending > 0)
    return;

  if (data->first_error != NULL)
    _ferry_window_toast (self, data->first_error);
  ferry_browser_reload (self->browser);
  op_data_free (data);
}

static void
op_data_error (OpData       *data,
               const GError *error)
{
  data->failed++;
  if (data->first_error == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    data->first_error = g_strdup (error->message);
}

/* Reads a name from an AdwMessageDialog with an entry, then calls @apply. */
typedef void (*NameCallback) (FerryWindow *self,
                              const char  *name,
                              gpointer     user_data);

typedef struct
{
  FerryWindow  *self;
  GtkEntry     *entry;
  NameCallback  apply;
  gpointer      user_data;
  GDestroyNotify destroy;
} NameDialog;

static void
name_dialog_free (NameDialog *data)
{
  if (data->destroy != NULL)
    data->destroy (data->user_data);
  g_clear_object (&data->self);
  g_free (data);
}

static gboolean
name_is_acceptable (const char *name)
{
  return name != NULL && *name != '\0' && ferry_listing_name_is_safe (name, -1);
}

static void
name_dialog_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         NameDialog       *data)
{
  if (g_strcmp0 (response, "apply") == 0)
    {
      const char *name = gtk_editable_get_text (GTK_EDITABLE (data->entry));

      if (name_is_acceptable (name))
        data->apply (data->self, name, data->user_data);
    }
}

static void
name_entry_changed_cb (GtkEditable      *entry,
                       AdwMessageDialog *dialog)
{
  const char *name = gtk_editable_get_text (entry);
  gboolean ok = name_is_acceptable (name);

  adw_message_dialog_set_response_enabled (dialog, "apply", ok);
  if (ok || *name == '\0')
    gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  else
    gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
}

static void
ferry_window_ask_name (FerryWindow    *self,
                       const char     *heading,
                       const char     *body,
                       const char     *initial,
                       const char     *apply_label,
                       NameCallback    apply,
                       gpointer        user_data,
                       GDestroyNotify  destroy)
{
  NameDialog *data = g_new0 (NameDialog, 1);
  GtkWidget *dialog;
  GtkWidget *entry;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), initial != NULL ? initial : "");
  /* Enter presses the default response's button, which also closes the
   * dialog; it does nothing while that response is disabled. */
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  heading, -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", apply_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  data->self = g_object_ref (self);
  data->entry = GTK_ENTRY (entry);
  data->apply = apply;
  data->user_data = user_data;
  data->destroy = destroy;

  g_signal_connect (entry, "changed", G_CALLBACK (name_entry_changed_cb), dialog);
  g_signal_connect_data (dialog, "response", G_CALLBACK (name_dialog_response_cb), data,
                         (GClosureNotify) (void (*) (void)) name_dialog_free, 0);
  name_entry_changed_cb (GTK_EDITABLE (entry), ADW_MESSAGE_DIALOG (dialog));

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);

  /* Select the name without its extension, as Files does. */
  if (initial != NULL)
    {
      const char *dot = strrchr (initial, '.');
      int end = dot != NULL && dot != initial ? (int) g_utf8_pointer_to_offset (initial, dot) : -1;

      gtk_editable_select_region (GTK_EDITABLE (entry), 0, end);
    }
}

/* MKD and DELE/RMD: a reply is success (2yz is asked for), an error is shown. */
static void
command_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  OpData *data = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = ferry_control_command_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL)
    op_data_error (data, error);
  op_data_done (data);
}

static void
new_folder_apply (FerryWindow *self,
                  const char  *name,
                  gpointer     user_data)
{
  g_autofree char *path = NULL;
  OpData *data;

  if (!ferry_window_is_connected_for_ops (self))
    return;

  path = ferry_remote_path_join (ferry_browser_get_path (self->browser), name);
  data = op_data_new (self, name);
  data->pending = 1;
  ferry_control_command_async (self->control, "MKD", path, FERRY_EXPECT_2YZ, self->cancellable,
                               command_done_cb, data);
}

static void
ferry_window_new_folder_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  ferry_window_ask_name (self, _("New Folder"), NULL, _("Untitled Folder"), _("C_reate"),
                         new_folder_apply, NULL, NULL);
}

static void
rename_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  OpData *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!ferry_control_rename_finish (FERRY_CONTROL (object), result, &error))
    op_data_error (data, error);
  op_data_done (data);
}

static void
rename_apply (FerryWindow *self,
              const char  *name,
              gpointer     user_data)
{
  const char *old_name = user_data;
  const char *dir = ferry_browser_get_path (self->browser);
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  OpData *data;

  if (!ferry_window_is_connected_for_ops (self) || g_strcmp0 (name, old_name) == 0)
    return;

  from = ferry_remote_path_join (dir, old_name);
  to = ferry_remote_path_join (dir, name);
  data = op_data_new (self, name);
  data->pending = 1;
  ferry_control_rename_async (self->control, from, to, self->cancellable, rename_cb, data);
}

static void
ferry_window_rename_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_browser_get_selected (self->browser);
  const char *name;
  g_autofree char *heading = NULL;

  if (files->len != 1)
    return;

  name = ferry_remote_file_get_name (g_ptr_array_index (files, 0));
  /* Translators: %s is a file name */
  heading = g_strdup_printf (_("Rename “%s”"), name);
  ferry_window_ask_name (self, heading, NULL, name, _("_Rename"), rename_apply,
                         g_strdup (name), g_free);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  g_autoptr(GPtrArray) files = user_data;
  FerryWindow *self = g_object_get_data (G_OBJECT (dialog), "ferry-window");
  const char *dir;
  OpData *data;

  if (g_strcmp0 (response, "delete") != 0 || !ferry_window_is_connected_for_ops (self))
    return;

  dir = ferry_browser_get_path (self->browser);
  data = op_data_new (self, NULL);
  data->pending = files->len;
  for (guint i = 0; i < files->len; i++)
    {
      FerryRemoteFile *file = g_ptr_array_index (files, i);
      g_autofree char *path = ferry_remote_path_join (dir, ferry_remote_file_get_name (file));

      /* RMD removes empty folders only; the server says so otherwise. */
      ferry_control_command_async (self->control,
                                   ferry_remote_file_is_directory (file) ? "RMD" : "DELE",
                                   path, FERRY_EXPECT_2YZ, self->cancellable, command_done_cb, data);
    }
}

static void
ferry_window_delete_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_browser_get_selected (self->browser);
  GtkWidget *dialog;

  if (files->len == 0)
    return;

  if (files->len == 1)
    {
      dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL,
                                       _("It is deleted from the server at once; there is no "
                                         "wastebasket to restore it from."));
      /* Translators: %s is a file name */
      adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Delete “%s”?"),
                                         ferry_remote_file_get_name (g_ptr_array_index (files, 0)));
    }
  else
    {
      dialog = adw_message_dialog_new (GTK_WINDOW (self), NULL,
                                       _("They are deleted from the server at once; there is no "
                                         "wastebasket to restore them from."));
      adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog),
                                         ngettext ("Delete %u Item?", "Delete %u Items?",
                                                   files->len),
                                         files->len);
    }

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "delete", _("_Delete"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "ferry-window", g_object_ref (self), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (delete_response_cb),
                    g_steal_pointer (&files));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* --- transfers ---------------------------------------------------------- */

static void
upload_response_cb (FerryWindow     *self,
                    int              response,
                    GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT && ferry_browser_get_path (self->browser) != NULL)
    {
      g_autoptr(GListModel) files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (chooser));
      GSList *list = NULL;

      for (guint i = g_list_model_get_n_items (files); i > 0; i--)
        list = g_slist_prepend (list, g_list_model_get_item (files, i - 1));
      _ferry_window_upload (self, list, ferry_browser_get_path (self->browser));
      g_slist_free_full (list, g_object_unref);
    }

  g_clear_object (&self->chooser);
}

static void
ferry_window_upload_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (_("Upload Files"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_OPEN,
                                               _("_Upload"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->chooser), TRUE);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (upload_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
download_response_cb (FerryWindow     *self,
                      int              response,
                      GtkNativeDialog *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      GPtrArray *files = g_object_get_data (G_OBJECT (chooser), "ferry-files");

      if (folder != NULL && files != NULL)
        _ferry_window_download (self, files, folder);
    }

  g_clear_object (&self->chooser);
}

static void
ferry_window_download_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  FerryWindow *self = FERRY_WINDOW (widget);
  g_autoptr(GPtrArray) files = ferry_browser_get_selected (self->browser);
  g_autoptr(GFile) folder = NULL;

  if (files->len == 0)
    return;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  self->chooser = gtk_file_chooser_native_new (_("Download To"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Download Here"), _("_Cancel"));
  folder = ferry_download_folder (self->settings);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_object_set_data_full (G_OBJECT (self->chooser), "ferry-files", g_steal_pointer (&files),
                          (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (download_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
ferry_window_clear_finished_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  ferry_queue_clear_finished (FERRY_WINDOW (widget)->queue);
}

/* --- downloads ---------------------------------------------------------- */

typedef struct
{
  FerryWindow *self;
  FerrySite   *site;
  GFile       *root;     /* the folder the user chose: nothing is written outside */
  GFile       *local;
  char        *remote;
} FolderDownload;

static void
folder_download_free (FolderDownload *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->site);
  g_clear_object (&data->root);
  g_clear_object (&data->local);
  g_free (data->remote);
  g_free (data);
}

static void ferry_window_download_into (FerryWindow     *self,
                                        FerrySite       *site,
                                        GFile           *root,
                                        GFile           *folder,
                                        const char      *remote_dir,
                                        FerryRemoteFile *file);

static void
folder_list_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  FolderDownload *data = user_data;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  files = ferry_control_list_finish (FERRY_CONTROL (object), result, NULL, &error);
  if (files == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Translators: %s is a remote folder, then the reason */
          g_autofree char *message = g_strdup_printf (_("Cannot download “%s”: %s"),
                                                      data->remote, error->message);
          _ferry_window_toast (data->self, message);
        }
      folder_download_free (data);
      return;
    }

  for (guint i = 0; i < files->len; i++)
    ferry_window_download_into (data->self, data->site, data->root, data->local, data->remote,
                                g_ptr_array_index (files, i));

  folder_download_free (data);
}

static void
make_directory_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  FolderDownload *data = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_make_directory_finish (G_FILE (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _ferry_window_toast (data->self, error->message);
      folder_download_free (data);
      return;
    }

  if (data->self->control == NULL || !ferry_control_get_connected (data->self->control))
    {
      folder_download_free (data);
      return;
    }

  ferry_control_list_async (data->self->control, data->remote, data->self->cancellable,
                            folder_list_cb, data);
}

static void
ferry_window_download_into (FerryWindow     *self,
                            FerrySite       *site,
                            GFile           *root,
                            GFile           *folder,
                            const char      *remote_dir,
                            FerryRemoteFile *file)
{
  const char *name = ferry_remote_file_get_name (file);
  g_autofree char *remote = NULL;
  g_autoptr(GFile) local = NULL;

  /* The engine already drops unsafe names from listings; a name that is
   * not a single path component must never reach the file system. */
  if (!ferry_listing_name_is_safe (name, -1))
    return;

  local = g_file_get_child (folder, name);
  if (!g_file_has_prefix (local, root))
    return;

  remote = ferry_remote_path_join (remote_dir, name);

  switch (ferry_remote_file_get_file_type (file))
    {
    case FERRY_FILE_TYPE_DIRECTORY:
      {
        FolderDownload *data = g_new0 (FolderDownload, 1);

        data->self = g_object_ref (self);
        data->site = g_object_ref (site);
        data->root = g_object_ref (root);
        data->local = g_object_ref (local);
        data->remote = g_steal_pointer (&remote);
        g_file_make_directory_async (local, G_PRIORITY_DEFAULT, self->cancellable,
                                     make_directory_cb, data);
      }
      break;

    case FERRY_FILE_TYPE_FILE:
    case FERRY_FILE_TYPE_UNKNOWN:
    case FERRY_FILE_TYPE_SYMLINK:
      {
        g_autoptr(FerryTransfer) transfer = ferry_transfer_new_download (site, remote, local);
        /* A link's listed size is the link's, not its target's. */
        if (ferry_remote_file_get_file_type (file) == FERRY_FILE_TYPE_FILE)
          ferry_transfer_set_expected_size (transfer, ferry_remote_file_get_size (file));
        _ferry_window_add_transfer (self, transfer);
      }
      break;

    case FERRY_FILE_TYPE_SPECIAL:
    default:
      break;
    }
}

/**
 * _ferry_window_download:
 * @files: (element-type FerryRemoteFile): entries of the folder shown
 * @folder: where they go
 *
 * Queues a download per file; folders are listed and recreated below
 * @folder, recursively.
 */
void
_ferry_window_download (FerryWindow *self,
                        GPtrArray   *files,
                        GFile       *folder)
{
  const char *dir;

  g_assert (FERRY_IS_WINDOW (self));
  g_assert (G_IS_FILE (folder));

  dir = ferry_browser_get_path (self->browser);
  if (self->site == NULL || dir == NULL || files->len == 0)
    return;

  for (guint i = 0; i < files->len; i++)
    ferry_window_download_into (self, self->site, folder, folder, dir,
                                g_ptr_array_index (files, i));

  /* No toast: the new rows show in the transfer pane, which adding a
   * transfer reveals. */
}

/* --- class -------------------------------------------------------------- */

/**
 * _ferry_window_class_actions_init:
 *
 * Installs the win.* actions and their keyboard shortcuts.
 */
void
_ferry_window_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.connect", NULL, ferry_window_connect_action);
  gtk_widget_class_install_action (widget_class, "win.reconnect", NULL,
                                   ferry_window_reconnect_action);
  gtk_widget_class_install_action (widget_class, "win.disconnect", NULL,
                                   ferry_window_disconnect_action);
  gtk_widget_class_install_action (widget_class, "win.refresh", NULL, ferry_window_refresh_action);
  gtk_widget_class_install_action (widget_class, "win.go-up", NULL, ferry_window_go_up_action);
  gtk_widget_class_install_action (widget_class, "win.open-selected", NULL,
                                   ferry_window_open_selected_action);
  gtk_widget_class_install_action (widget_class, "win.new-folder", NULL,
                                   ferry_window_new_folder_action);
  gtk_widget_class_install_action (widget_class, "win.rename", NULL, ferry_window_rename_action);
  gtk_widget_class_install_action (widget_class, "win.delete", NULL, ferry_window_delete_action);
  gtk_widget_class_install_action (widget_class, "win.upload", NULL, ferry_window_upload_action);
  gtk_widget_class_install_action (widget_class, "win.download", NULL,
                                   ferry_window_download_action);
  gtk_widget_class_install_action (widget_class, "win.clear-finished", NULL,
                                   ferry_window_clear_finished_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "win.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK, "win.go-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.new-folder", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK,
                                       "win.upload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "win.download", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "settings.show-log", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_j, GDK_CONTROL_MASK,
                                       "settings.transfer-pane-visible", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}
