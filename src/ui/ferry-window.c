/* ferry-window.c: the main window, its connection and its transfers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window owns one browse connection (a FerryControl, for listings and
 * file operations) and one FerryQueue; each transfer in the queue opens its
 * own connections to the same FerrySite.
 */

#define G_LOG_DOMAIN "ferry-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ferry-transfer-row.h"
#include "ferry-ui-util.h"
#include "ferry-window-private.h"

#define MAX_RECENT_SERVERS 8

G_DEFINE_FINAL_TYPE (FerryWindow, ferry_window, ADW_TYPE_APPLICATION_WINDOW)

static void ferry_window_update_title (FerryWindow *self);

/* --- toasts ------------------------------------------------------------- */

/**
 * _ferry_window_toast:
 * @message: what to say
 *
 * Shows a short message over the window.
 */
void
_ferry_window_toast (FerryWindow *self,
                     const char  *message)
{
  AdwToast *toast;

  g_assert (FERRY_IS_WINDOW (self));

  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
ferry_window_toast_with_action (FerryWindow *self,
                                const char  *message,
                                const char  *button_label,
                                const char  *action_name,
                                AdwToast   **out_toast)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_button_label (toast, button_label);
  adw_toast_set_action_name (toast, action_name);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 0);

  if (out_toast != NULL)
    {
      if (*out_toast != NULL)
        adw_toast_dismiss (*out_toast);
      g_set_weak_pointer (out_toast, toast);
    }

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* --- state -------------------------------------------------------------- */

static gboolean
ferry_window_is_browsing (FerryWindow *self)
{
  return self->control != NULL && ferry_control_get_connected (self->control) &&
         !self->connecting;
}

/**
 * _ferry_window_update_actions:
 *
 * Enables what makes sense for the connection and the selection.
 */
void
_ferry_window_update_actions (FerryWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean browsing;
  const char *path;
  guint n_selected = 0;

  /* Disposing the template changes the selection on the way out. */
  if (self->browser == NULL)
    return;

  browsing = ferry_window_is_browsing (self);
  path = ferry_browser_get_path (self->browser);

  if (browsing)
    {
      g_autoptr(GPtrArray) selected = ferry_browser_get_selected (self->browser);
      n_selected = selected->len;
    }

  gtk_widget_action_set_enabled (widget, "win.connect", !self->connecting);
  gtk_widget_action_set_enabled (widget, "win.disconnect", self->control != NULL);
  gtk_widget_action_set_enabled (widget, "win.reconnect",
                                 self->site != NULL && !self->connecting && !browsing);
  gtk_widget_action_set_enabled (widget, "win.refresh", browsing && path != NULL);
  gtk_widget_action_set_enabled (widget, "win.go-up",
                                 browsing && path != NULL && g_strcmp0 (path, "/") != 0);
  gtk_widget_action_set_enabled (widget, "win.new-folder", browsing && path != NULL);
  gtk_widget_action_set_enabled (widget, "win.upload", browsing && path != NULL);
  gtk_widget_action_set_enabled (widget, "win.rename", browsing && n_selected == 1);
  gtk_widget_action_set_enabled (widget, "win.delete", browsing && n_selected > 0);
  gtk_widget_action_set_enabled (widget, "win.download", browsing && n_selected > 0);
  gtk_widget_action_set_enabled (widget, "win.open-selected", browsing && n_selected > 0);
}

static void
ferry_window_update_title (FerryWindow *self)
{
  const char *path = ferry_browser_get_path (self->browser);

  if (self->site != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "browser") == 0)
    {
      g_autofree char *name = ferry_site_get_display_name (self->site);

      adw_window_title_set_title (self->window_title, name);
      adw_window_title_set_subtitle (self->window_title, path != NULL ? path : "");
      /* Translators: the window title, "ftp.example.org — Ferry" */
      {
        g_autofree char *title = g_strdup_printf (_("%s — Ferry"), name);
        gtk_window_set_title (GTK_WINDOW (self), title);
      }
    }
  else
    {
      adw_window_title_set_title (self->window_title, _("Ferry"));
      adw_window_title_set_subtitle (self->window_title, "");
      gtk_window_set_title (GTK_WINDOW (self), _("Ferry"));
    }
}

/* An empty transfer list on the login form is only in the way. */
static void
ferry_window_update_transfer_pane (FerryWindow *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "transfer-pane-visible");
  gboolean useful = g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0 ||
                    g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "browser") == 0;

  gtk_widget_set_visible (self->transfer_pane, wanted && useful);
}

/**
 * _ferry_window_show_page:
 * @name: "connect" or "browser"
 *
 * Switches the main view and what goes with it.
 */
void
_ferry_window_show_page (FerryWindow *self,
                        const char  *name)
{
  gboolean browser = g_str_equal (name, "browser");

  gtk_stack_set_visible_child_name (self->main_stack, name);
  gtk_widget_set_visible (self->browse_buttons, browser);
  ferry_window_update_transfer_pane (self);
  ferry_window_update_title (self);
  _ferry_window_update_actions (self);
}

static void
ferry_window_update_recent (FerryWindow *self)
{
  g_auto(GStrv) urls = g_settings_get_strv (self->settings, "recent-servers");

  ferry_connect_page_set_recent (self->connect_page, (const char * const *) urls);
}

static void
ferry_window_remember_site (FerryWindow *self,
                            FerrySite   *site,
                            const char  *path)
{
  g_auto(GStrv) old = g_settings_get_strv (self->settings, "recent-servers");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) urls = NULL;
  /* ferry_site_to_url() never includes the password. */
  g_autofree char *url = ferry_site_to_url (site, path);
  g_autofree char *name = ferry_site_get_display_name (site);
  guint n = 1;

  g_strv_builder_add (builder, url);
  for (guint i = 0; old[i] != NULL && n < MAX_RECENT_SERVERS; i++)
    {
      g_autoptr(FerrySite) other = ferry_site_new_from_url (old[i], NULL, NULL);
      g_autofree char *other_name = other != NULL ? ferry_site_get_display_name (other) : NULL;

      /* One entry per server and user. */
      if (other_name == NULL || g_str_equal (other_name, name))
        continue;
      g_strv_builder_add (builder, old[i]);
      n++;
    }

  urls = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-servers", (const char * const *) urls);
}

/* --- the browse connection ---------------------------------------------- */

static void
control_closed_cb (FerryWindow  *self,
                   const GError *error,
                   FerryControl *control)
{
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;

  if (control != self->control)
    return;

  name = ferry_site_get_display_name (self->site);
  /* Translators: "Lost the connection to ftp.example.org: The server closed the connection" */
  message = g_strdup_printf (_("Lost the connection to %s: %s"), name,
                             error != NULL ? error->message : _("unknown reason"));
  ferry_browser_set_disconnected (self->browser, message);
  ferry_window_toast_with_action (self, message, _("_Reconnect"), "win.reconnect",
                                  &self->lost_toast);
  _ferry_window_update_actions (self);
}

static void
ferry_window_drop_control (FerryWindow *self)
{
  if (self->control == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->control, self);
  if (ferry_control_get_connected (self->control))
    /* Nobody waits for the QUIT: the task keeps the connection alive. */
    ferry_control_close_async (self->control, NULL, NULL, NULL);
  g_clear_object (&self->control);
  ferry_browser_set_control (self->browser, NULL);
}

static void
pwd_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  path = ferry_control_pwd_finish (FERRY_CONTROL (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      FERRY_CONTROL (object) != self->control)
    return;

  /* A server that will not say where we are still has a top folder. */
  if (path == NULL || *path != '/')
    {
      g_free (path);
      path = g_strdup ("/");
    }

  /* RFC 1738 §3.2.2: an ftp:// path is relative to the login folder. */
  if (self->start_path != NULL && *self->start_path != '\0')
    {
      g_autofree char *joined = ferry_remote_path_join (path, self->start_path);
      ferry_browser_load (self->browser, joined);
    }
  else
    ferry_browser_load (self->browser, path);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FerryWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  FerryControl *control = FERRY_CONTROL (object);
  gboolean reconnecting;

  if (!ferry_control_connect_finish (control, result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (control != self->control)
    return;

  self->connecting = FALSE;
  ferry_connect_page_set_busy (self->connect_page, FALSE);
  reconnecting = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "browser") == 0;

  if (error != NULL)
    {
      g_autofree char *name = ferry_site_get_display_name (self->site);
      /* Translators: "Cannot connect to ftp.example.org: Connection refused" */
      g_autofree char *message = g_strdup_printf (_("Cannot connect to %s: %s"), name,
                                                  error->message);

      if (reconnecting)
        {
          ferry_browser_set_disconnected (self->browser, message);
          ferry_window_toast_with_action (self, message, _("_Retry"), "win.reconnect",
                                          &self->lost_toast);
        }
      else
        {
          ferry_connect_page_set_error (self->connect_page, message);
          ferry_window_toast_with_action (self, message, _("_Retry"), "win.connect",
                                          &self->lost_toast);
        }
      _ferry_window_update_actions (self);
      return;
    }

  if (self->lost_toast != NULL)
    adw_toast_dismiss (self->lost_toast);

  ferry_window_remember_site (self, self->site, self->start_path);
  ferry_browser_set_control (self->browser, control);
  _ferry_window_show_page (self, "browser");

  if (self->start_path != NULL && *self->start_path == '/')
    ferry_browser_load (self->browser, self->start_path);
  else
    ferry_control_pwd_async (control, self->cancellable, pwd_cb, g_object_ref (self));

  ferry_browser_focus (self->browser);
}

/**
 * _ferry_window_connect:
 * @site: where to connect, with the password
 * @path: (nullable): the folder to open, or %NULL for the login folder
 *
 * Replaces the browse connection.  Transfers already queued keep going on
 * their own connections.
 */
void
_ferry_window_connect (FerryWindow *self,
                       FerrySite   *site,
                       const char  *path)
{
  g_autofree char *log_id = NULL;

  g_assert (FERRY_IS_WINDOW (self));
  g_assert (FERRY_IS_SITE (site));

  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_object (&self->connect_cancellable);
  self->connect_cancellable = g_cancellable_new ();

  ferry_window_drop_control (self);

  if (self->site != site)
    {
      g_clear_object (&self->site);
      self->site = g_object_ref (site);
    }
  if (self->start_path != path)
    {
      g_free (self->start_path);
      self->start_path = g_strdup (path);
    }

  self->control = ferry_control_new ();
  log_id = ferry_site_get_display_name (site);
  ferry_control_set_log_id (self->control, log_id);
  g_settings_bind (self->settings, "reply-timeout", self->control, "reply-timeout",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "keepalive-interval", self->control, "keepalive-interval",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->control, "closed", G_CALLBACK (control_closed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->control, "notify::connected",
                           G_CALLBACK (_ferry_window_update_actions), self, G_CONNECT_SWAPPED);
  ferry_log_view_set_control (self->log_view, self->control);

  self->connecting = TRUE;
  ferry_connect_page_set_busy (self->connect_page, TRUE);
  _ferry_window_update_actions (self);

  ferry_control_connect_async (self->control, ferry_site_get_host (site),
                               ferry_site_get_port (site), ferry_site_get_user (site),
                               ferry_site_get_password (site), self->connect_cancellable,
                               connect_cb, g_object_ref (self));
}

/* --- transfers ---------------------------------------------------------- */

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  FerryWindow *self = user_data;

  self->refresh_id = 0;
  if (ferry_window_is_browsing (self) && !ferry_browser_get_loading (self->browser))
    ferry_browser_reload (self->browser);

  return G_SOURCE_REMOVE;
}

/**
 * _ferry_window_schedule_refresh:
 *
 * Lists the folder again soon; several finished uploads cost one listing.
 */
void
_ferry_window_schedule_refresh (FerryWindow *self)
{
  g_assert (FERRY_IS_WINDOW (self));

  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (300, refresh_timeout_cb, self);
}

static void
transfer_state_cb (FerryWindow   *self,
                   GParamSpec    *pspec,
                   FerryTransfer *transfer)
{
  FerryTransferState state = ferry_transfer_get_state (transfer);

  if (state == FERRY_TRANSFER_DONE)
    {
      self->batch_done++;

      if (ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_UPLOAD &&
          ferry_browser_get_path (self->browser) != NULL)
        {
          g_autofree char *parent = ferry_remote_path_parent (ferry_transfer_get_remote_path (transfer));

          /* Anything uploaded into the folder shown, or below it. */
          if (g_str_has_prefix (parent, ferry_browser_get_path (self->browser)))
            _ferry_window_schedule_refresh (self);
        }
    }
  else if (state == FERRY_TRANSFER_FAILED)
    self->batch_failed++;
}

/**
 * _ferry_window_add_transfer:
 * @transfer: a new transfer
 *
 * Applies the retry and timeout settings and queues @transfer.
 */
void
_ferry_window_add_transfer (FerryWindow   *self,
                            FerryTransfer *transfer)
{
  g_assert (FERRY_IS_WINDOW (self));
  g_assert (FERRY_IS_TRANSFER (transfer));

  ferry_transfer_set_retry_limit (transfer, g_settings_get_uint (self->settings, "retry-limit"));
  ferry_transfer_set_retry_delays (transfer,
                                   g_settings_get_uint (self->settings, "retry-initial-delay"),
                                   g_settings_get_uint (self->settings, "retry-max-delay"));
  ferry_transfer_set_timeouts (transfer,
                               g_settings_get_uint (self->settings, "reply-timeout"),
                               g_settings_get_uint (self->settings, "inactivity-timeout"));
  g_signal_connect_object (transfer, "notify::state", G_CALLBACK (transfer_state_cb), self,
                           G_CONNECT_SWAPPED);

  ferry_queue_add (self->queue, transfer);
}

/* Queued or running; the queue keeps the count, so a long list costs
 * nothing here. */
static guint
ferry_window_count_running (FerryWindow *self)
{
  return ferry_queue_get_n_busy (self->queue);
}

static void
queue_totals_cb (FerryWindow *self)
{
  g_autofree char *text = NULL;
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->queue));
  guint running = ferry_window_count_running (self);
  gint64 total = ferry_queue_get_total_size (self->queue);
  gint64 done = ferry_queue_get_bytes_done (self->queue);

  gtk_stack_set_visible_child_name (self->transfer_stack, n_items > 0 ? "list" : "empty");
  gtk_progress_bar_set_fraction (self->total_progress,
                                 n_items > 0 && running == 0 && total > 0 && done >= total ?
                                 1.0 : ferry_queue_get_fraction (self->queue));

  if (n_items == 0)
    text = g_strdup ("");
  else
    {
      g_autofree char *bytes = ferry_format_progress (done, total,
                                                      ferry_queue_get_speed (self->queue),
                                                      ferry_queue_get_eta (self->queue),
                                                      running > 0);
      g_autofree char *count = NULL;

      if (running > 0)
        count = g_strdup_printf (ngettext ("%u transfer running", "%u transfers running",
                                           running), running);
      else
        count = g_strdup_printf (ngettext ("%u transfer", "%u transfers", n_items), n_items);
      text = g_strdup_printf ("%s — %s", count, bytes);
    }
  gtk_label_set_label (self->total_label, text);
}

static void
queue_items_changed_cb (FerryWindow *self,
                        guint        position,
                        guint        removed,
                        guint        added,
                        GListModel  *model)
{
  queue_totals_cb (self);

  /* New transfers: make sure they can be seen. */
  if (added > 0)
    g_settings_set_boolean (self->settings, "transfer-pane-visible", TRUE);
  ferry_window_update_transfer_pane (self);
}

static void
queue_busy_cb (FerryWindow *self)
{
  GApplication *app = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  queue_totals_cb (self);

  if (ferry_queue_get_busy (self->queue))
    return;

  /* Without a session bus (a bare X session) GIO has nowhere to send it. */
  if (app != NULL && g_application_get_dbus_connection (app) != NULL &&
      !gtk_window_is_active (GTK_WINDOW (self)) &&
      self->batch_done + self->batch_failed > 0)
    {
      if (self->batch_failed > 0)
        {
          notification = g_notification_new (_("Some Transfers Failed"));
          body = g_strdup_printf (ngettext ("%u file transferred, %u failed",
                                            "%u files transferred, %u failed",
                                            self->batch_done),
                                  self->batch_done, self->batch_failed);
        }
      else
        {
          notification = g_notification_new (_("Transfers Finished"));
          body = g_strdup_printf (ngettext ("%u file transferred", "%u files transferred",
                                            self->batch_done),
                                  self->batch_done);
        }
      g_notification_set_body (notification, body);
      g_notification_set_icon (notification, G_ICON (g_themed_icon_new (APP_ID)));
      g_application_send_notification (app, "transfers-finished", notification);
    }

  self->batch_done = 0;
  self->batch_failed = 0;
}

static gboolean
int_to_uint_mapping (GValue   *value,
                     GVariant *variant,
                     gpointer  user_data)
{
  g_value_set_uint (value, (guint) MAX (g_variant_get_int32 (variant), 1));
  return TRUE;
}

/* --- template callbacks ------------------------------------------------- */

static void
browser_message_cb (FerryWindow  *self,
                    const char   *message,
                    FerryBrowser *browser)
{
  _ferry_window_toast (self, message);
}

static void
browser_file_activated_cb (FerryWindow     *self,
                           FerryRemoteFile *file,
                           FerryBrowser    *browser)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new ();
  g_autoptr(GFile) folder = ferry_download_folder (self->settings);

  g_ptr_array_add (files, file);
  _ferry_window_download (self, files, folder);
}

static void
browser_path_cb (FerryWindow *self)
{
  ferry_window_update_title (self);
  _ferry_window_update_actions (self);
}

static void
selection_changed_cb (FerryWindow *self)
{
  _ferry_window_update_actions (self);
}

/* --- closing ------------------------------------------------------------ */

static void
close_response_cb (AdwMessageDialog *dialog,
                   const char       *response,
                   FerryWindow      *self)
{
  if (g_strcmp0 (response, "close") != 0)
    return;

  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
ferry_window_close_request (GtkWindow *window)
{
  FerryWindow *self = FERRY_WINDOW (window);
  guint running = ferry_window_count_running (self);
  int width, height;

  if (running > 0 && !self->close_confirmed)
    {
      GtkWidget *dialog;

      dialog = adw_message_dialog_new (window, _("Stop Transfers?"), NULL);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                      ngettext ("%u transfer is still running. A download "
                                                "can continue later from where it stopped.",
                                                "%u transfers are still running. A download "
                                                "can continue later from where it stopped.",
                                                running),
                                      running);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Keep Open"),
                                        "close", _("_Stop and Close"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (window))
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (ferry_window_parent_class)->close_request (window);
}

/* --- GObject ------------------------------------------------------------ */

static void
ferry_window_constructed (GObject *object)
{
  FerryWindow *self = (FerryWindow *)object;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GSimpleActionGroup) settings_group = g_simple_action_group_new ();
  g_autoptr(GtkNoSelection) no_selection = NULL;
  g_autoptr(GAction) log_action = NULL;
  g_autoptr(GAction) pane_action = NULL;

  G_OBJECT_CLASS (ferry_window_parent_class)->constructed (object);

  if (FERRY_IS_APPLICATION (app))
    self->settings = g_object_ref (ferry_application_get_settings (FERRY_APPLICATION (app)));
  else
    self->settings = g_settings_new (FERRY_SCHEMA_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  /* Room for four transfer rows, leaving the files at least half. */
  {
    int height = g_settings_get_int (self->settings, "window-height");

    if (height > 0)
      gtk_paned_set_position (self->transfer_paned, MAX (height / 2, height - 400));
  }

  /* The engine never reads GSettings: the keys are bound to it here. */
  g_settings_bind_with_mapping (self->settings, "parallel-transfers", self->queue,
                                "max-parallel", G_SETTINGS_BIND_GET,
                                int_to_uint_mapping, NULL, NULL, NULL);
  g_settings_bind (self->settings, "resume-on-reconnect", self->queue, "resume-on-reconnect",
                   G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "resume-on-reconnect", self->resume_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);

  log_action = g_settings_create_action (self->settings, "show-log");
  pane_action = g_settings_create_action (self->settings, "transfer-pane-visible");
  g_action_map_add_action (G_ACTION_MAP (settings_group), log_action);
  g_action_map_add_action (G_ACTION_MAP (settings_group), pane_action);
  gtk_widget_insert_action_group (GTK_WIDGET (self), "settings", G_ACTION_GROUP (settings_group));
  g_settings_bind (self->settings, "show-log", self->log_view, "visible", G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->settings, "changed::transfer-pane-visible",
                           G_CALLBACK (ferry_window_update_transfer_pane), self,
                           G_CONNECT_SWAPPED);

  no_selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->queue)));
  gtk_list_view_set_model (self->transfer_list, GTK_SELECTION_MODEL (no_selection));

  g_signal_connect_object (self->settings, "changed::recent-servers",
                           G_CALLBACK (ferry_window_update_recent), self, G_CONNECT_SWAPPED);
  ferry_window_update_recent (self);

  _ferry_window_dnd_init (self);
  _ferry_window_show_page (self, "connect");
  queue_totals_cb (self);
  ferry_connect_page_focus (self->connect_page);
}

static void
ferry_window_dispose (GObject *object)
{
  FerryWindow *self = (FerryWindow *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->connect_cancellable != NULL)
    g_cancellable_cancel (self->connect_cancellable);
  g_clear_handle_id (&self->refresh_id, g_source_remove);

  /* A running transfer holds itself alive: stop each one, keeping what
   * arrived so that downloading it again resumes. */
  if (self->queue != NULL)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->queue));

      g_signal_handlers_disconnect_by_data (self->queue, self);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (self->queue), i);

          g_signal_handlers_disconnect_by_data (transfer, self);
          if (!ferry_transfer_is_finished (transfer))
            ferry_transfer_pause (transfer);
        }
    }

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);

  ferry_window_drop_control (self);
  g_clear_weak_pointer (&self->lost_toast);
  if (self->browser != NULL)
    g_signal_handlers_disconnect_by_data (ferry_browser_get_selection (self->browser), self);

  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_WINDOW);

  g_clear_object (&self->drop_target);
  g_clear_object (&self->queue);
  g_clear_object (&self->site);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ferry_window_parent_class)->dispose (object);
}

static void
ferry_window_finalize (GObject *object)
{
  FerryWindow *self = (FerryWindow *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->connect_cancellable);
  g_free (self->start_path);

  G_OBJECT_CLASS (ferry_window_parent_class)->finalize (object);
}

static void
ferry_window_class_init (FerryWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ferry_window_constructed;
  object_class->dispose = ferry_window_dispose;
  object_class->finalize = ferry_window_finalize;

  window_class->close_request = ferry_window_close_request;

  g_type_ensure (FERRY_TYPE_BROWSER);
  g_type_ensure (FERRY_TYPE_CONNECT_PAGE);
  g_type_ensure (FERRY_TYPE_LOG_VIEW);
  g_type_ensure (FERRY_TYPE_TRANSFER);
  g_type_ensure (FERRY_TYPE_TRANSFER_ROW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ui/ferry-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, browse_buttons);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, log_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, transfers_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, log_paned);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, transfer_paned);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, connect_page);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, browser);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, transfer_pane);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, transfer_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, transfer_list);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, total_progress);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, total_label);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, resume_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryWindow, log_view);
  gtk_widget_class_bind_template_callback (widget_class, browser_message_cb);
  gtk_widget_class_bind_template_callback (widget_class, browser_file_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, browser_path_cb);

  _ferry_window_class_actions_init (widget_class);
}

static void
ferry_window_init (FerryWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (g_strcmp0 (PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->cancellable = g_cancellable_new ();
  self->queue = ferry_queue_new ();

  g_signal_connect_object (self->queue, "items-changed", G_CALLBACK (queue_items_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::busy", G_CALLBACK (queue_busy_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::bytes-done", G_CALLBACK (queue_totals_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::total-size", G_CALLBACK (queue_totals_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::speed", G_CALLBACK (queue_totals_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->queue, "notify::n-busy", G_CALLBACK (queue_totals_cb), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect_object (ferry_browser_get_selection (self->browser), "selection-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (ferry_browser_get_selection (self->browser), "items-changed",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
}

/**
 * ferry_window_new:
 * @application: the application
 *
 * Returns: (transfer none): a new window, not yet shown
 */
FerryWindow *
ferry_window_new (FerryApplication *application)
{
  g_return_val_if_fail (FERRY_IS_APPLICATION (application), NULL);

  return g_object_new (FERRY_TYPE_WINDOW, "application", application, NULL);
}

/**
 * ferry_window_open_url:
 * @url: an ftp:// address, as on the command line
 *
 * Fills the connect form from @url and connects.
 */
void
ferry_window_open_url (FerryWindow *self,
                       const char  *url)
{
  g_autoptr(FerrySite) site = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (FERRY_IS_WINDOW (self));
  g_return_if_fail (url != NULL);

  ferry_connect_page_set_url (self->connect_page, url);
  _ferry_window_show_page (self, "connect");

  site = ferry_site_new_from_url (url, &path, &error);
  if (site == NULL)
    {
      ferry_connect_page_set_error (self->connect_page, error->message);
      return;
    }

  /* A named user needs a password that a URL should not carry: ask. */
  if (!ferry_site_is_anonymous (site) && ferry_site_get_password (site) == NULL)
    {
      ferry_connect_page_focus (self->connect_page);
      return;
    }

  _ferry_window_connect (self, site, path);
}

/**
 * ferry_window_get_connected:
 *
 * Returns: whether the window has a browse connection (or is making one)
 */
gboolean
ferry_window_get_connected (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), FALSE);
  return self->control != NULL;
}

/**
 * ferry_window_get_queue:
 *
 * Returns: (transfer none): the window's transfers
 */
FerryQueue *
ferry_window_get_queue (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->queue;
}

/**
 * ferry_window_get_control:
 *
 * Returns: (transfer none) (nullable): the browse connection
 */
FerryControl *
ferry_window_get_control (FerryWindow *self)
{
  g_return_val_if_fail (FERRY_IS_WINDOW (self), NULL);
  return self->control;
}
