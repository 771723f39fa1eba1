/* ferry-application.c: the application, its settings and app-wide actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-application.h"
#include "ferry-preferences-window.h"
#include "ferry-window.h"

struct _FerryApplication
{
  AdwApplication  parent_instance;

  /* Owned */
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (FerryApplication, ferry_application, ADW_TYPE_APPLICATION)

static FerryWindow *
ferry_application_new_window (FerryApplication *self)
{
  return ferry_window_new (self);
}

/* A window that is not connected yet can take an ftp:// address; others
 * keep their session. */
static FerryWindow *
ferry_application_get_idle_window (FerryApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (FERRY_IS_WINDOW (l->data) && !ferry_window_get_connected (l->data))
        return l->data;
    }

  return NULL;
}

static void
ferry_application_activate (GApplication *app)
{
  FerryApplication *self = FERRY_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (ferry_application_new_window (self));

  gtk_window_present (window);
}

static void
ferry_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  FerryApplication *self = FERRY_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);
      FerryWindow *window = ferry_application_get_idle_window (self);

      if (window == NULL)
        window = ferry_application_new_window (self);

      gtk_window_present (GTK_WINDOW (window));
      ferry_window_open_url (window, uri);
    }
}

static void
ferry_application_quit_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  FerryApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* Closing goes through each window's close-request, which asks first
   * when transfers are still running. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
ferry_application_new_window_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  FerryApplication *self = user_data;

  gtk_window_present (GTK_WINDOW (ferry_application_new_window (self)));
}

static void
ferry_application_preferences_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  FerryApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  FerryPreferencesWindow *prefs;

  prefs = ferry_preferences_window_new (self->settings);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
ferry_application_about_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  FerryApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Ferry developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-icon", APP_ID,
                        "application-name", _("Ferry"),
                        "developer-name", _("The Ferry developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Move files to and from FTP servers, and pick up where you left off when the connection drops."),
                        "website", "https://github.com/ferryftp/ferry",
                        "issue-url", "https://github.com/ferryftp/ferry/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_entries[] = {
  { "quit", ferry_application_quit_action },
  { "new-window", ferry_application_new_window_action },
  { "preferences", ferry_application_preferences_action },
  { "about", ferry_application_about_action },
};

static void
ferry_application_startup (GApplication *app)
{
  FerryApplication *self = FERRY_APPLICATION (app);
  static const char *quit_accels[] = { "<Primary>q", NULL };
  static const char *new_window_accels[] = { "<Primary>n", NULL };
  static const char *preferences_accels[] = { "<Primary>comma", NULL };

  G_APPLICATION_CLASS (ferry_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries,
                                   G_N_ELEMENTS (app_entries), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window",
                                         new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
}

static void
ferry_application_dispose (GObject *object)
{
  FerryApplication *self = (FerryApplication *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_application_parent_class)->dispose (object);
}

static void
ferry_application_class_init (FerryApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ferry_application_dispose;

  app_class->activate = ferry_application_activate;
  app_class->open = ferry_application_open;
  app_class->startup = ferry_application_startup;
}

static void
ferry_application_init (FerryApplication *self)
{
  /* The schema id stays the same in the .Devel profile. */
  self->settings = g_settings_new (FERRY_SCHEMA_ID);
}

/**
 * ferry_application_new:
 *
 * Returns: (transfer full): the application
 */
FerryApplication *
ferry_application_new (void)
{
  return g_object_new (FERRY_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       /* Explicit, so that a .Devel id still finds
                        * gtk/help-overlay.ui and style.css. */
                       "resource-base-path", "/io/github/ferryftp/Ferry",
                       NULL);
}

/**
 * ferry_application_get_settings:
 *
 * Returns: (transfer none): the application's settings
 */
GSettings *
ferry_application_get_settings (FerryApplication *self)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (self), NULL);
  return self->settings;
}
