/* ferry-log-view.c: the browse connection's dialogue, and a console
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-log-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ferry-log-view.h"

/* A session left open for days must not grow the buffer without bound. */
#define MAX_LINES 5000
#define MAX_HISTORY 100

struct _FerryLogView
{
  GtkWidget       parent_instance;

  /* Template widgets */
  GtkScrolledWindow *scroller;
  GtkTextView       *text_view;
  GtkEntry          *command_entry;
  GtkWidget         *send_button;

  /* Owned */
  FerryControl      *control;
  GCancellable      *cancellable;
  GtkTextMark       *end_mark;
  GPtrArray         *history;       /* commands entered, oldest first */
  char              *draft;         /* what was typed before stepping back */
  guint              history_pos;   /* == history->len: not stepping */
};

G_DEFINE_FINAL_TYPE (FerryLogView, ferry_log_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTROL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* Commands that open a data connection or change the session's transfer
 * state would leave the browse connection waiting for data nobody reads. */
static const char * const data_verbs[] = {
  "APPE", "EPRT", "EPSV", "LIST", "MLSD", "NLST", "PASV", "PORT", "REST", "RETR", "STOR",
  "STOU", NULL
};

static gboolean
ferry_log_view_is_at_end (FerryLogView *self)
{
  GtkAdjustment *adj = gtk_scrolled_window_get_vadjustment (self->scroller);

  return gtk_adjustment_get_value (adj) + gtk_adjustment_get_page_size (adj) >=
         gtk_adjustment_get_upper (adj) - 4;
}

static void
log_line_cb (FerryLogView *self,
             FerryLogKind  kind,
             const char   *text,
             FerryControl *control)
{
  ferry_log_view_append (self, kind, text);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FerryLogView) self = user_data;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* The reply itself already came through ::log-line. */
  reply = ferry_control_send_finish (FERRY_CONTROL (object), result, &error);
  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_error_matches (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_CLOSED))
    ferry_log_view_append (self, FERRY_LOG_ERROR, error->message);
}

static void
command_activate_cb (FerryLogView *self)
{
  g_autofree char *line = NULL;
  g_autofree char *verb = NULL;

  g_assert (FERRY_IS_LOG_VIEW (self));

  line = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->command_entry))));
  if (*line == '\0')
    return;

  if (self->control == NULL || !ferry_control_get_connected (self->control))
    {
      ferry_log_view_append (self, FERRY_LOG_ERROR, _("Not connected to a server"));
      return;
    }

  verb = g_ascii_strup (line, strcspn (line, " "));
  if (g_strv_contains (data_verbs, verb))
    {
      /* Translators: %s is an FTP command such as LIST */
      g_autofree char *message = g_strdup_printf (_("%s needs a data connection: use the file "
                                                    "list and the transfer list for it"), verb);
      ferry_log_view_append (self, FERRY_LOG_INFO, message);
      return;
    }

  ferry_control_send_async (self->control, line, FERRY_EXPECT_ANY, self->cancellable,
                            send_cb, g_object_ref (self));
  gtk_editable_set_text (GTK_EDITABLE (self->command_entry), "");

  /* As in a shell: the same command twice in a row is kept once. */
  if (self->history->len == 0 ||
      !g_str_equal (g_ptr_array_index (self->history, self->history->len - 1), line))
    g_ptr_array_add (self->history, g_steal_pointer (&line));
  if (self->history->len > MAX_HISTORY)
    g_ptr_array_remove_index (self->history, 0);
  self->history_pos = self->history->len;
  g_clear_pointer (&self->draft, g_free);
}

/* Up and Down in the command entry step through the commands sent. */
static void
ferry_log_view_history_step (FerryLogView *self,
                             int           step)
{
  GtkEditable *entry = GTK_EDITABLE (self->command_entry);
  guint pos;

  if ((step < 0 && self->history_pos == 0) ||
      (step > 0 && self->history_pos >= self->history->len))
    {
      gtk_widget_error_bell (GTK_WIDGET (self->command_entry));
      return;
    }

  if (self->history_pos == self->history->len)
    {
      g_free (self->draft);
      self->draft = g_strdup (gtk_editable_get_text (entry));
    }

  pos = self->history_pos + step;
  self->history_pos = pos;
  gtk_editable_set_text (entry, pos < self->history->len ? g_ptr_array_index (self->history, pos)
                                                         : self->draft ? self->draft : "");
  gtk_editable_set_position (entry, -1);
}

static void
ferry_log_view_history_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  ferry_log_view_history_step (FERRY_LOG_VIEW (widget),
                               g_str_equal (action_name, "console.history-previous") ? -1 : 1);
}

static void
ferry_log_view_clear_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  ferry_log_view_clear (FERRY_LOG_VIEW (widget));
}

static void
ferry_log_view_dispose (GObject *object)
{
  FerryLogView *self = (FerryLogView *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  ferry_log_view_set_control (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_LOG_VIEW);
  /* The template's unnamed top box is not among its bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ferry_log_view_parent_class)->dispose (object);
}

static void
ferry_log_view_finalize (GObject *object)
{
  FerryLogView *self = (FerryLogView *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_clear_pointer (&self->draft, g_free);

  G_OBJECT_CLASS (ferry_log_view_parent_class)->finalize (object);
}

static void
ferry_log_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  FerryLogView *self = FERRY_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTROL:
      g_value_set_object (value, self->control);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_log_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  FerryLogView *self = FERRY_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_CONTROL:
      ferry_log_view_set_control (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_log_view_class_init (FerryLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_log_view_dispose;
  object_class->finalize = ferry_log_view_finalize;
  object_class->get_property = ferry_log_view_get_property;
  object_class->set_property = ferry_log_view_set_property;

  properties [PROP_CONTROL] =
    g_param_spec_object ("control", NULL, NULL, FERRY_TYPE_CONTROL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ui/ferry-log-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryLogView, scroller);
  gtk_widget_class_bind_template_child (widget_class, FerryLogView, text_view);
  gtk_widget_class_bind_template_child (widget_class, FerryLogView, command_entry);
  gtk_widget_class_bind_template_child (widget_class, FerryLogView, send_button);
  gtk_widget_class_bind_template_callback (widget_class, command_activate_cb);

  gtk_widget_class_install_action (widget_class, "log.clear", NULL, ferry_log_view_clear_action);
  gtk_widget_class_install_action (widget_class, "console.history-previous", NULL,
                                   ferry_log_view_history_action);
  gtk_widget_class_install_action (widget_class, "console.history-next", NULL,
                                   ferry_log_view_history_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "logview");
}

static void
ferry_log_view_init (FerryLogView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;

  GtkEventController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->history = g_ptr_array_new_with_free_func (g_free);

  /* On the entry itself: the log's text view keeps its own Up and Down. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Up, 0),
                                                          gtk_named_action_new ("console.history-previous")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Down, 0),
                                                          gtk_named_action_new ("console.history-next")));
  gtk_widget_add_controller (GTK_WIDGET (self->command_entry), shortcuts);

  buffer = gtk_text_view_get_buffer (self->text_view);
  /* Colours readable on both the light and the dark style. */
  gtk_text_buffer_create_tag (buffer, "sent", "foreground", "#3584e4", NULL);
  gtk_text_buffer_create_tag (buffer, "received", NULL);
  gtk_text_buffer_create_tag (buffer, "info", "foreground", "#878787", "style",
                              PANGO_STYLE_ITALIC, NULL);
  gtk_text_buffer_create_tag (buffer, "error", "foreground", "#e01b24", "weight",
                              PANGO_WEIGHT_BOLD, NULL);

  gtk_text_buffer_get_end_iter (buffer, &end);
  self->end_mark = gtk_text_buffer_create_mark (buffer, "end", &end, FALSE);
}

/**
 * ferry_log_view_get_control:
 *
 * Returns: (transfer none) (nullable): the connection shown
 */
FerryControl *
ferry_log_view_get_control (FerryLogView *self)
{
  g_return_val_if_fail (FERRY_IS_LOG_VIEW (self), NULL);
  return self->control;
}

/**
 * ferry_log_view_set_control:
 * @control: (nullable): the browse connection
 *
 * Lines logged before stay: a reconnect continues the same log.
 */
void
ferry_log_view_set_control (FerryLogView *self,
                            FerryControl *control)
{
  g_return_if_fail (FERRY_IS_LOG_VIEW (self));
  g_return_if_fail (control == NULL || FERRY_IS_CONTROL (control));

  if (self->control == control)
    return;

  if (self->control != NULL)
    g_signal_handlers_disconnect_by_data (self->control, self);
  g_set_object (&self->control, control);
  if (control != NULL)
    g_signal_connect_object (control, "log-line", G_CALLBACK (log_line_cb), self,
                             G_CONNECT_SWAPPED);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONTROL]);
}

/**
 * ferry_log_view_append:
 * @kind: who said it
 * @text: one line, already masked and cleaned by the engine
 *
 * Adds a line, dropping the oldest beyond the cap.
 */
void
ferry_log_view_append (FerryLogView *self,
                       FerryLogKind  kind,
                       const char   *text)
{
  GtkTextBuffer *buffer;
  GtkTextIter end;
  const char *tag, *prefix;
  gboolean follow;
  int lines;

  g_return_if_fail (FERRY_IS_LOG_VIEW (self));
  g_return_if_fail (text != NULL);

  switch (kind)
    {
    case FERRY_LOG_SENT:
      tag = "sent";
      prefix = "> ";
      break;
    case FERRY_LOG_RECEIVED:
      tag = "received";
      prefix = "< ";
      break;
    case FERRY_LOG_ERROR:
      tag = "error";
      prefix = "! ";
      break;
    case FERRY_LOG_INFO:
    default:
      tag = "info";
      prefix = "* ";
      break;
    }

  follow = ferry_log_view_is_at_end (self);
  buffer = gtk_text_view_get_buffer (self->text_view);

  gtk_text_buffer_get_end_iter (buffer, &end);
  if (gtk_text_buffer_get_char_count (buffer) > 0)
    gtk_text_buffer_insert (buffer, &end, "\n", 1);
  gtk_text_buffer_insert_with_tags_by_name (buffer, &end, prefix, -1, tag, NULL);
  gtk_text_buffer_insert_with_tags_by_name (buffer, &end, text, -1, tag, NULL);

  lines = gtk_text_buffer_get_line_count (buffer);
  if (lines > MAX_LINES)
    {
      GtkTextIter start, cut;

      gtk_text_buffer_get_start_iter (buffer, &start);
      gtk_text_buffer_get_iter_at_line (buffer, &cut, lines - MAX_LINES);
      gtk_text_buffer_delete (buffer, &start, &cut);
    }

  if (follow)
    {
      gtk_text_buffer_get_end_iter (buffer, &end);
      gtk_text_buffer_move_mark (buffer, self->end_mark, &end);
      gtk_text_view_scroll_mark_onscreen (self->text_view, self->end_mark);
    }
}

/**
 * ferry_log_view_clear:
 *
 * Empties the log.
 */
void
ferry_log_view_clear (FerryLogView *self)
{
  g_return_if_fail (FERRY_IS_LOG_VIEW (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->text_view), "", 0);
}

/**
 * ferry_log_view_get_text:
 *
 * Returns: (transfer full): the whole log, as shown
 */
char *
ferry_log_view_get_text (FerryLogView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (FERRY_IS_LOG_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}
