/* ferry-transfer-row.c: one transfer in the transfer list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything shown follows the transfer's properties through bindings and
 * notify handlers; nothing polls.  The engine already limits progress
 * notifications to one per 100 ms.
 */

#define G_LOG_DOMAIN "ferry-transfer-row"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ferry-transfer-row.h"
#include "ferry-ui-util.h"

struct _FerryTransferRow
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkImage       *direction_image;
  GtkLabel       *name_label;
  GtkLabel       *status_label;
  GtkProgressBar *progress_bar;
  GtkLabel       *detail_label;
  GtkWidget      *pause_button;
  GtkWidget      *resume_button;
  GtkWidget      *retry_button;
  GtkWidget      *open_button;
  GtkWidget      *show_button;
  GtkWidget      *cancel_button;

  /* Owned */
  FerryTransfer  *transfer;
  GBinding       *name_binding;
  GBinding       *status_binding;
};

G_DEFINE_FINAL_TYPE (FerryTransferRow, ferry_transfer_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TRANSFER,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static gboolean
state_is_moving (FerryTransferState state)
{
  return state == FERRY_TRANSFER_TRANSFERRING;
}

static void
ferry_transfer_row_update_progress (FerryTransferRow *self)
{
  FerryTransfer *transfer = self->transfer;
  FerryTransferState state;
  g_autofree char *detail = NULL;
  gint64 total;

  g_assert (FERRY_IS_TRANSFER_ROW (self));

  if (transfer == NULL)
    return;

  state = ferry_transfer_get_state (transfer);
  total = ferry_transfer_get_total_size (transfer);

  /* Without SIZE there is no fraction to show: pulse on each progress
   * notification instead. */
  if (total < 0 && state_is_moving (state))
    gtk_progress_bar_pulse (self->progress_bar);
  else if (state == FERRY_TRANSFER_DONE)
    gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  else
    gtk_progress_bar_set_fraction (self->progress_bar, ferry_transfer_get_fraction (transfer));

  detail = ferry_format_progress (ferry_transfer_get_bytes_done (transfer), total,
                                  ferry_transfer_get_speed (transfer),
                                  ferry_transfer_get_eta (transfer),
                                  state_is_moving (state));
  gtk_label_set_label (self->detail_label, detail);
}

static void
ferry_transfer_row_update_state (FerryTransferRow *self)
{
  FerryTransfer *transfer = self->transfer;
  FerryTransferState state;
  gboolean finished, can_resume, download;
  const GError *error;

  g_assert (FERRY_IS_TRANSFER_ROW (self));

  if (transfer == NULL)
    return;

  state = ferry_transfer_get_state (transfer);
  finished = ferry_transfer_is_finished (transfer);
  can_resume = ferry_transfer_can_resume (transfer);
  download = ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_DOWNLOAD;

  gtk_widget_set_visible (self->pause_button, !finished && !can_resume);
  gtk_widget_set_visible (self->resume_button,
                          can_resume && state != FERRY_TRANSFER_FAILED);
  gtk_widget_set_visible (self->retry_button, state == FERRY_TRANSFER_FAILED);
  gtk_widget_set_visible (self->cancel_button, !finished);
  gtk_widget_set_visible (self->open_button, download && state == FERRY_TRANSFER_DONE);
  gtk_widget_set_visible (self->show_button, download && state == FERRY_TRANSFER_DONE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.pause", !finished && !can_resume);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.resume", can_resume);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.retry",
                                 state == FERRY_TRANSFER_FAILED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.cancel", !finished);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.open",
                                 download && state == FERRY_TRANSFER_DONE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "transfer.show-in-folder",
                                 download && state == FERRY_TRANSFER_DONE);

  if (state == FERRY_TRANSFER_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "failed");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "failed");
  if (state == FERRY_TRANSFER_DONE)
    gtk_widget_add_css_class (GTK_WIDGET (self), "done");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "done");
  if (state == FERRY_TRANSFER_RETRYING || state == FERRY_TRANSFER_INTERRUPTED)
    gtk_widget_add_css_class (GTK_WIDGET (self), "interrupted");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "interrupted");

  /* The whole reason of a failure does not fit the row: hover shows it. */
  error = ferry_transfer_get_error (transfer);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                               error != NULL ? error->message : NULL);

  ferry_transfer_row_update_progress (self);
}

static void
transfer_progress_cb (FerryTransferRow *self,
                      GParamSpec       *pspec,
                      FerryTransfer    *transfer)
{
  ferry_transfer_row_update_progress (self);
}

static void
transfer_state_cb (FerryTransferRow *self,
                   GParamSpec       *pspec,
                   FerryTransfer    *transfer)
{
  ferry_transfer_row_update_state (self);
}

static void
ferry_transfer_row_pause_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (widget);

  if (self->transfer != NULL)
    ferry_transfer_pause (self->transfer);
}

static void
ferry_transfer_row_resume_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (widget);

  if (self->transfer != NULL)
    ferry_transfer_resume (self->transfer);
}

static void
cancel_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  g_autoptr(FerryTransfer) transfer = user_data;

  if (g_strcmp0 (response, "cancel") == 0)
    ferry_transfer_cancel (transfer);
}

static void
ferry_transfer_row_cancel_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  const char *body;

  if (self->transfer == NULL || ferry_transfer_is_finished (self->transfer))
    return;

  if (ferry_transfer_get_direction (self->transfer) == FERRY_TRANSFER_DOWNLOAD)
    body = _("The part downloaded so far will be deleted.");
  else
    body = _("The part uploaded so far stays on the server.");

  /* Translators: %s is a file name */
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, body);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Cancel “%s”?"),
                                     ferry_transfer_get_name (self->transfer));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "continue", _("_Keep Going"),
                                    "cancel", _("_Cancel Transfer"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "continue");
  g_signal_connect (dialog, "response", G_CALLBACK (cancel_response_cb),
                    g_object_ref (self->transfer));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
ferry_transfer_row_show_uri (FerryTransferRow *self,
                             GFile            *file)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *uri = g_file_get_uri (file);

  /* gtk_show_uri() goes through the OpenURI portal when sandboxed;
   * GtkFileLauncher would be its successor, but is GTK 4.10. */
  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
}

static void
ferry_transfer_row_open_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (widget);

  if (self->transfer != NULL)
    ferry_transfer_row_show_uri (self, ferry_transfer_get_local_file (self->transfer));
}

static void
ferry_transfer_row_show_in_folder_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (widget);
  g_autoptr(GFile) parent = NULL;

  if (self->transfer == NULL)
    return;

  parent = g_file_get_parent (ferry_transfer_get_local_file (self->transfer));
  if (parent != NULL)
    ferry_transfer_row_show_uri (self, parent);
}

static void
ferry_transfer_row_dispose (GObject *object)
{
  FerryTransferRow *self = (FerryTransferRow *)object;
  GtkWidget *child;

  ferry_transfer_row_set_transfer (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_TRANSFER_ROW);
  /* The template's unnamed top box is not among its bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ferry_transfer_row_parent_class)->dispose (object);
}

static void
ferry_transfer_row_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (object);

  switch (prop_id)
    {
    case PROP_TRANSFER:
      g_value_set_object (value, self->transfer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_row_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FerryTransferRow *self = FERRY_TRANSFER_ROW (object);

  switch (prop_id)
    {
    case PROP_TRANSFER:
      ferry_transfer_row_set_transfer (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_transfer_row_class_init (FerryTransferRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_transfer_row_dispose;
  object_class->get_property = ferry_transfer_row_get_property;
  object_class->set_property = ferry_transfer_row_set_property;

  properties [PROP_TRANSFER] =
    g_param_spec_object ("transfer", NULL, NULL, FERRY_TYPE_TRANSFER,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ui/ferry-transfer-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, direction_image);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, pause_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, resume_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, open_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, show_button);
  gtk_widget_class_bind_template_child (widget_class, FerryTransferRow, cancel_button);

  gtk_widget_class_install_action (widget_class, "transfer.pause", NULL,
                                   ferry_transfer_row_pause_action);
  gtk_widget_class_install_action (widget_class, "transfer.resume", NULL,
                                   ferry_transfer_row_resume_action);
  /* Retrying a failed transfer is resuming it: the engine keeps the bytes. */
  gtk_widget_class_install_action (widget_class, "transfer.retry", NULL,
                                   ferry_transfer_row_resume_action);
  gtk_widget_class_install_action (widget_class, "transfer.cancel", NULL,
                                   ferry_transfer_row_cancel_action);
  gtk_widget_class_install_action (widget_class, "transfer.open", NULL,
                                   ferry_transfer_row_open_action);
  gtk_widget_class_install_action (widget_class, "transfer.show-in-folder", NULL,
                                   ferry_transfer_row_show_in_folder_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "transferrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
ferry_transfer_row_init (FerryTransferRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ferry_transfer_row_new:
 *
 * Returns: (transfer floating): an empty row
 */
GtkWidget *
ferry_transfer_row_new (void)
{
  return g_object_new (FERRY_TYPE_TRANSFER_ROW, NULL);
}

/**
 * ferry_transfer_row_get_transfer:
 *
 * Returns: (transfer none) (nullable): the transfer shown
 */
FerryTransfer *
ferry_transfer_row_get_transfer (FerryTransferRow *self)
{
  g_return_val_if_fail (FERRY_IS_TRANSFER_ROW (self), NULL);
  return self->transfer;
}

/**
 * ferry_transfer_row_set_transfer:
 * @transfer: (nullable): the transfer to show
 *
 * List rows are recycled, so this unbinds the previous transfer first.
 */
void
ferry_transfer_row_set_transfer (FerryTransferRow *self,
                                 FerryTransfer    *transfer)
{
  g_return_if_fail (FERRY_IS_TRANSFER_ROW (self));
  g_return_if_fail (transfer == NULL || FERRY_IS_TRANSFER (transfer));

  if (self->transfer == transfer)
    return;

  if (self->transfer != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->transfer, self);
      g_clear_pointer (&self->name_binding, g_binding_unbind);
      g_clear_pointer (&self->status_binding, g_binding_unbind);
      g_clear_object (&self->transfer);
    }

  if (transfer != NULL)
    {
      self->transfer = g_object_ref (transfer);

      self->name_binding = g_object_bind_property (transfer, "name", self->name_label, "label",
                                                   G_BINDING_SYNC_CREATE);
      self->status_binding = g_object_bind_property (transfer, "status-text", self->status_label,
                                                     "label", G_BINDING_SYNC_CREATE);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->name_label),
                                   ferry_transfer_get_remote_path (transfer));

      if (ferry_transfer_get_direction (transfer) == FERRY_TRANSFER_DOWNLOAD)
        {
          gtk_image_set_from_icon_name (self->direction_image, "go-down-symbolic");
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->direction_image),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Download"), -1);
        }
      else
        {
          gtk_image_set_from_icon_name (self->direction_image, "go-up-symbolic");
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->direction_image),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _("Upload"), -1);
        }

      g_signal_connect_object (transfer, "notify::state", G_CALLBACK (transfer_state_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (transfer, "notify::error", G_CALLBACK (transfer_state_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (transfer, "notify::bytes-done", G_CALLBACK (transfer_progress_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (transfer, "notify::total-size", G_CALLBACK (transfer_progress_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (transfer, "notify::speed", G_CALLBACK (transfer_progress_cb),
                               self, G_CONNECT_SWAPPED);

      ferry_transfer_row_update_state (self);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TRANSFER]);
}
