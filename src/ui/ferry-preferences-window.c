/* ferry-preferences-window.c: the settings a user may want to change
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-preferences-window.h"
#include "ferry-ui-util.h"

struct _FerryPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  GtkSwitch            *resume_switch;
  GtkSpinButton        *parallel_spin;
  AdwActionRow         *folder_row;
  GtkSpinButton        *reply_spin;
  GtkSpinButton        *inactivity_spin;
  GtkSpinButton        *keepalive_spin;
  GtkSpinButton        *retry_spin;
  GtkSpinButton        *initial_delay_spin;
  GtkSpinButton        *max_delay_spin;

  /* Owned */
  GSettings            *settings;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (FerryPreferencesWindow, ferry_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
ferry_preferences_window_update_folder (FerryPreferencesWindow *self)
{
  g_autoptr(GFile) folder = ferry_download_folder (self->settings);
  g_autofree char *name = g_file_get_parse_name (folder);

  adw_action_row_set_subtitle (self->folder_row, name);
}

static void
chooser_response_cb (FerryPreferencesWindow *self,
                     int                     response,
                     GtkNativeDialog        *chooser)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = folder != NULL ? g_file_get_path (folder) : NULL;

      if (path != NULL)
        g_settings_set_string (self->settings, "download-folder", path);
    }

  g_clear_object (&self->chooser);
}

static void
choose_folder_cb (FerryPreferencesWindow *self)
{
  g_autoptr(GFile) current = ferry_download_folder (self->settings);

  g_assert (FERRY_IS_PREFERENCES_WINDOW (self));

  g_clear_object (&self->chooser);
  self->chooser = gtk_file_chooser_native_new (_("Download Folder"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), current, NULL);
  g_signal_connect_object (self->chooser, "response", G_CALLBACK (chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
ferry_preferences_window_dispose (GObject *object)
{
  FerryPreferencesWindow *self = (FerryPreferencesWindow *)object;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_preferences_window_parent_class)->dispose (object);
}

static void
ferry_preferences_window_class_init (FerryPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ui/ferry-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, resume_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, parallel_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, folder_row);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, reply_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, inactivity_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, keepalive_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, retry_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, initial_delay_spin);
  gtk_widget_class_bind_template_child (widget_class, FerryPreferencesWindow, max_delay_spin);
  gtk_widget_class_bind_template_callback (widget_class, choose_folder_cb);
}

static void
ferry_preferences_window_init (FerryPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ferry_preferences_window_new:
 * @settings: the application's settings
 *
 * Returns: (transfer full): a preferences window bound to @settings
 */
FerryPreferencesWindow *
ferry_preferences_window_new (GSettings *settings)
{
  FerryPreferencesWindow *self;
  static const struct {
    const char *key;
    gsize       offset;
  } spins[] = {
    { "parallel-transfers", G_STRUCT_OFFSET (FerryPreferencesWindow, parallel_spin) },
    { "reply-timeout", G_STRUCT_OFFSET (FerryPreferencesWindow, reply_spin) },
    { "inactivity-timeout", G_STRUCT_OFFSET (FerryPreferencesWindow, inactivity_spin) },
    { "keepalive-interval", G_STRUCT_OFFSET (FerryPreferencesWindow, keepalive_spin) },
    { "retry-limit", G_STRUCT_OFFSET (FerryPreferencesWindow, retry_spin) },
    { "retry-initial-delay", G_STRUCT_OFFSET (FerryPreferencesWindow, initial_delay_spin) },
    { "retry-max-delay", G_STRUCT_OFFSET (FerryPreferencesWindow, max_delay_spin) },
  };

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (FERRY_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "resume-on-reconnect", self->resume_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  /* GSettings maps the double "value" to the keys' i and u types itself. */
  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      GtkSpinButton *spin = G_STRUCT_MEMBER (GtkSpinButton *, self, spins[i].offset);

      g_settings_bind (settings, spins[i].key, spin, "value", G_SETTINGS_BIND_DEFAULT);
    }

  g_signal_connect_object (settings, "changed::download-folder",
                           G_CALLBACK (ferry_preferences_window_update_folder), self,
                           G_CONNECT_SWAPPED);
  ferry_preferences_window_update_folder (self);

  return self;
}
