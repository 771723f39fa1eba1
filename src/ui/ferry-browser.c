/* ferry-browser.c: the remote folder, as a sortable list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The browser lists folders over the window's browse connection and shows
 * them in a GtkColumnView; the cells are GtkBuilderListItemFactory
 * templates bound to FerryRemoteFile properties.  File operations live in
 * the window's actions, which read the selection from here.
 */

#define G_LOG_DOMAIN "ferry-browser"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "ferry-browser.h"
#include "ferry-ui-util.h"

struct _FerryBrowser
{
  GtkWidget          parent_instance;

  /* Template widgets */
  GtkScrolledWindow *crumbs_scroller;
  GtkBox            *crumbs_box;
  GtkSpinner        *loading_spinner;
  GtkStack          *view_stack;
  GtkColumnView     *column_view;
  GtkColumnViewColumn *name_column;
  GtkSpinner        *big_spinner;
  AdwStatusPage     *error_page;
  AdwStatusPage     *disconnected_page;
  GtkRevealer       *drop_revealer;
  GtkLabel          *drop_label;
  GMenuModel        *context_menu;

  /* Owned */
  FerryControl      *control;
  GListStore        *store;
  GtkSortListModel  *sorted;
  GtkMultiSelection *selection;
  GCancellable      *cancellable;
  GtkWidget         *popover;
  char              *path;
  char              *loading_path;

  guint              loading : 1;
};

G_DEFINE_FINAL_TYPE (FerryBrowser, ferry_browser, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONTROL,
  PROP_PATH,
  PROP_LOADING,
  N_PROPS
};

enum {
  MESSAGE,
  FILE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* --- cell closures (called from the .ui templates) ---------------------- */

static GIcon *
file_icon (gpointer       this,
           const char    *name,
           FerryFileType  file_type,
           gpointer       user_data)
{
  g_autofree char *content_type = NULL;

  switch (file_type)
    {
    case FERRY_FILE_TYPE_DIRECTORY:
      return g_themed_icon_new ("folder");
    case FERRY_FILE_TYPE_SYMLINK:
      return g_themed_icon_new ("emblem-symbolic-link");
    case FERRY_FILE_TYPE_SPECIAL:
      return g_themed_icon_new ("text-x-generic");
    case FERRY_FILE_TYPE_UNKNOWN:
    case FERRY_FILE_TYPE_FILE:
    default:
      break;
    }

  if (name == NULL)
    return g_themed_icon_new ("text-x-generic");

  /* By name only: the bytes are on the server. */
  content_type = g_content_type_guess (name, NULL, 0, NULL);
  return g_content_type_get_icon (content_type);
}

static char *
file_size (gpointer       this,
           gint64         size,
           FerryFileType  file_type,
           gpointer       user_data)
{
  if (file_type == FERRY_FILE_TYPE_DIRECTORY)
    return g_strdup ("");
  if (size < 0)
    return g_strdup ("—");
  return g_format_size ((guint64) size);
}

static char *
file_tooltip (gpointer    this,
              const char *name,
              const char *link_target,
              gpointer    user_data)
{
  if (link_target != NULL && *link_target != '\0')
    return g_strdup_printf ("%s → %s", name, link_target);
  return g_strdup (name);
}

static char *
file_date (gpointer   this,
           GDateTime *modified,
           gpointer   user_data)
{
  return ferry_format_date (modified);
}

static gint64
file_mtime (gpointer   this,
            GDateTime *modified,
            gpointer   user_data)
{
  return modified != NULL ? g_date_time_to_unix (modified) : G_MININT64;
}

/* Folders stay on top whichever column sorts and in which direction. */
static int
folders_first (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  gboolean dir_a = ferry_remote_file_is_directory ((FerryRemoteFile *) a);
  gboolean dir_b = ferry_remote_file_is_directory ((FerryRemoteFile *) b);

  return dir_a == dir_b ? 0 : dir_a ? -1 : 1;
}

/* --- state -------------------------------------------------------------- */

static void
ferry_browser_set_loading (FerryBrowser *self,
                           gboolean      loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  gtk_widget_set_visible (GTK_WIDGET (self->loading_spinner), loading);
  gtk_spinner_set_spinning (self->loading_spinner, loading);
  gtk_spinner_set_spinning (self->big_spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LOADING]);
}

static void
ferry_browser_update_crumbs (FerryBrowser *self)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GString) path = g_string_new ("/");
  GtkWidget *child, *button, *last = NULL;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->crumbs_box))) != NULL)
    gtk_box_remove (self->crumbs_box, child);

  if (self->path == NULL)
    return;

  button = gtk_button_new_from_icon_name ("network-server-symbolic");
  gtk_widget_set_tooltip_text (button, _("Top Folder"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Top Folder"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "browser.go");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", "/");
  gtk_widget_add_css_class (button, "flat");
  gtk_box_append (self->crumbs_box, button);
  last = button;

  parts = g_strsplit (self->path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (*parts[i] == '\0')
        continue;

      if (path->len > 1)
        g_string_append_c (path, '/');
      g_string_append (path, parts[i]);

      child = gtk_label_new ("/");
      gtk_widget_add_css_class (child, "dim-label");
      gtk_box_append (self->crumbs_box, child);

      button = gtk_button_new_with_label (parts[i]);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "browser.go");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", path->str);
      gtk_widget_add_css_class (button, "flat");
      gtk_box_append (self->crumbs_box, button);
      last = button;
    }

  gtk_widget_add_css_class (last, "current");
  gtk_accessible_update_state (GTK_ACCESSIBLE (last), GTK_ACCESSIBLE_STATE_SELECTED, TRUE, -1);
}

static void
ferry_browser_show_contents (FerryBrowser *self)
{
  gtk_stack_set_visible_child_name (self->view_stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->store)) > 0 ?
                                    "list" : "empty");
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FerryBrowser) self = user_data;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  guint n_unsafe = 0;

  files = ferry_control_list_finish (FERRY_CONTROL (object), result, &n_unsafe, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  path = g_steal_pointer (&self->loading_path);
  ferry_browser_set_loading (self, FALSE);

  if (files == NULL)
    {
      /* A folder that will not open is a toast when there is still a
       * listing to look at; otherwise it is the page's content. */
      if (self->path != NULL && g_strcmp0 (self->path, path) != 0)
        {
          /* Translators: %s is the reason */
          g_autofree char *message = g_strdup_printf (_("Cannot open the folder: %s"),
                                                      error->message);
          g_signal_emit (self, signals [MESSAGE], 0, message);
          return;
        }

      if (g_error_matches (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_CLOSED) ||
          g_error_matches (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_CONNECTED))
        return;

      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->view_stack, "error");
      if (self->path == NULL)
        {
          self->path = g_steal_pointer (&path);
          ferry_browser_update_crumbs (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PATH]);
        }
      return;
    }

  g_list_store_splice (self->store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->store)),
                       files->pdata, files->len);

  if (g_strcmp0 (self->path, path) != 0)
    {
      g_free (self->path);
      self->path = g_steal_pointer (&path);
      ferry_browser_update_crumbs (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PATH]);
    }
  ferry_browser_show_contents (self);

  if (n_unsafe > 0)
    {
      g_autofree char *message =
        g_strdup_printf (ngettext ("%u entry was hidden: its name is not safe to use",
                                   "%u entries were hidden: their names are not safe to use",
                                   n_unsafe), n_unsafe);
      g_signal_emit (self, signals [MESSAGE], 0, message);
    }
}

static void
column_view_activate_cb (FerryBrowser *self,
                         guint         position)
{
  g_autoptr(FerryRemoteFile) file = NULL;

  g_assert (FERRY_IS_BROWSER (self));

  file = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  if (file == NULL)
    return;

  /* A link may point at a folder; trying costs one listing. */
  if (ferry_remote_file_is_directory (file) ||
      ferry_remote_file_get_file_type (file) == FERRY_FILE_TYPE_SYMLINK)
    {
      g_autofree char *path = ferry_remote_path_join (self->path,
                                                      ferry_remote_file_get_name (file));
      ferry_browser_load (self, path);
    }
  else
    g_signal_emit (self, signals [FILE_ACTIVATED], 0, file);
}

static void
ferry_browser_go_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  ferry_browser_load (FERRY_BROWSER (widget), g_variant_get_string (parameter, NULL));
}

static void
ferry_browser_popup_menu (FerryBrowser *self,
                          double        x,
                          double        y)
{
  GdkRectangle rect = { (int) x, (int) y, 1, 1 };

  gtk_popover_set_pointing_to (GTK_POPOVER (self->popover), &rect);
  gtk_popover_popup (GTK_POPOVER (self->popover));
}

static void
ferry_browser_context_menu_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  FerryBrowser *self = FERRY_BROWSER (widget);

  ferry_browser_popup_menu (self, gtk_widget_get_width (widget) / 2.0,
                            gtk_widget_get_height (widget) / 3.0);
}

/* The row under the pointer: GtkColumnView 4.8 has no API for it, so find
 * the row widget and read its name label, which is unique in a folder. */
static gboolean
ferry_browser_select_at (FerryBrowser *self,
                         double        x,
                         double        y)
{
  GtkWidget *picked = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  GtkWidget *row = NULL;

  for (GtkWidget *w = picked; w != NULL && w != GTK_WIDGET (self->column_view);
       w = gtk_widget_get_parent (w))
    {
      if (g_strcmp0 (gtk_widget_get_css_name (w), "row") == 0)
        {
          row = w;
          break;
        }
    }

  if (row == NULL)
    return FALSE;

  for (GtkWidget *w = gtk_widget_get_first_child (row); w != NULL; )
    {
      if (GTK_IS_LABEL (w) && gtk_widget_has_css_class (w, "file-name"))
        {
          const char *name = gtk_label_get_label (GTK_LABEL (w));
          FerryRemoteFile *file = ferry_browser_lookup (self, name);

          if (file == NULL)
            return FALSE;

          /* Keep a multiple selection the click falls into. */
          for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->selection)); i++)
            {
              g_autoptr(FerryRemoteFile) item = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

              if (item == file)
                {
                  if (!gtk_selection_model_is_selected (GTK_SELECTION_MODEL (self->selection), i))
                    gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
                  return TRUE;
                }
            }
          return FALSE;
        }

      /* Depth-first walk over the row's cells. */
      if (gtk_widget_get_first_child (w) != NULL)
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w != row && gtk_widget_get_next_sibling (w) == NULL)
            w = gtk_widget_get_parent (w);
          w = w == row ? NULL : gtk_widget_get_next_sibling (w);
        }
    }

  return FALSE;
}

static void
context_click_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  FerryBrowser    *self)
{
  double bx = x, by = y;

  if (!ferry_browser_select_at (self, x, y))
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));

  gtk_widget_translate_coordinates (GTK_WIDGET (self->column_view), GTK_WIDGET (self),
                                    x, y, &bx, &by);
  ferry_browser_popup_menu (self, bx, by);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
context_long_press_cb (GtkGestureLongPress *gesture,
                       double               x,
                       double               y,
                       FerryBrowser        *self)
{
  double bx = x, by = y;

  ferry_browser_select_at (self, x, y);
  gtk_widget_translate_coordinates (GTK_WIDGET (self->column_view), GTK_WIDGET (self),
                                    x, y, &bx, &by);
  ferry_browser_popup_menu (self, bx, by);
}

/* --- GObject ------------------------------------------------------------ */

static void
ferry_browser_dispose (GObject *object)
{
  FerryBrowser *self = (FerryBrowser *)object;
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->popover, gtk_widget_unparent);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_BROWSER);
  /* The template's unnamed top box is not among its bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->sorted);
  g_clear_object (&self->store);
  g_clear_object (&self->control);

  G_OBJECT_CLASS (ferry_browser_parent_class)->dispose (object);
}

static void
ferry_browser_finalize (GObject *object)
{
  FerryBrowser *self = (FerryBrowser *)object;

  g_clear_object (&self->cancellable);
  g_free (self->path);
  g_free (self->loading_path);

  G_OBJECT_CLASS (ferry_browser_parent_class)->finalize (object);
}

static void
ferry_browser_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FerryBrowser *self = FERRY_BROWSER (object);

  switch (prop_id)
    {
    case PROP_CONTROL:
      g_value_set_object (value, self->control);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_browser_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FerryBrowser *self = FERRY_BROWSER (object);

  switch (prop_id)
    {
    case PROP_CONTROL:
      ferry_browser_set_control (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_browser_class_init (FerryBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_browser_dispose;
  object_class->finalize = ferry_browser_finalize;
  object_class->get_property = ferry_browser_get_property;
  object_class->set_property = ferry_browser_set_property;

  properties [PROP_CONTROL] =
    g_param_spec_object ("control", NULL, NULL, FERRY_TYPE_CONTROL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties [PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties [PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FerryBrowser::message:
   * @text: something to tell the user in passing
   */
  signals [MESSAGE] =
    g_signal_new ("message",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * FerryBrowser::file-activated:
   * @file: a file (not a folder) double-clicked or opened with Enter
   */
  signals [FILE_ACTIVATED] =
    g_signal_new ("file-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, FERRY_TYPE_REMOTE_FILE);

  g_type_ensure (FERRY_TYPE_REMOTE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ui/ferry-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, crumbs_scroller);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, crumbs_box);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, view_stack);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, column_view);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, name_column);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, big_spinner);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, error_page);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, disconnected_page);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, drop_revealer);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, drop_label);
  gtk_widget_class_bind_template_child (widget_class, FerryBrowser, context_menu);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, file_icon);
  gtk_widget_class_bind_template_callback (widget_class, file_size);
  gtk_widget_class_bind_template_callback (widget_class, file_tooltip);
  gtk_widget_class_bind_template_callback (widget_class, file_date);
  gtk_widget_class_bind_template_callback (widget_class, file_mtime);

  gtk_widget_class_install_action (widget_class, "browser.go", "s", ferry_browser_go_action);
  gtk_widget_class_install_action (widget_class, "browser.context-menu", NULL,
                                   ferry_browser_context_menu_action);

  /* Only while the list has the focus, so text fields keep these keys. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Delete, 0, "win.delete", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F2, 0, "win.rename", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_BackSpace, 0, "win.go-up", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0,
                                       "browser.context-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "browser.context-menu", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "browser");
}

static void
ferry_browser_init (FerryBrowser *self)
{
  g_autoptr(GtkMultiSorter) sorter = NULL;
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->store = g_list_store_new (FERRY_TYPE_REMOTE_FILE);

  sorter = gtk_multi_sorter_new ();
  gtk_multi_sorter_append (sorter, GTK_SORTER (gtk_custom_sorter_new (folders_first, NULL, NULL)));
  gtk_multi_sorter_append (sorter, g_object_ref (gtk_column_view_get_sorter (self->column_view)));

  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->store)),
                                          GTK_SORTER (g_steal_pointer (&sorter)));
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);

  self->popover = gtk_popover_menu_new_from_model (self->context_menu);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_set_parent (self->popover, GTK_WIDGET (self));

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), GDK_BUTTON_SECONDARY);
  g_signal_connect (controller, "pressed", G_CALLBACK (context_click_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_long_press_new ());
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (controller), TRUE);
  g_signal_connect (controller, "pressed", G_CALLBACK (context_long_press_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), controller);

  gtk_stack_set_visible_child_name (self->view_stack, "loading");
}

/* --- public ------------------------------------------------------------- */

/**
 * ferry_browser_get_control:
 *
 * Returns: (transfer none) (nullable): the browse connection
 */
FerryControl *
ferry_browser_get_control (FerryBrowser *self)
{
  g_return_val_if_fail (FERRY_IS_BROWSER (self), NULL);
  return self->control;
}

/**
 * ferry_browser_set_control:
 * @control: (nullable): a logged-in connection
 *
 * A new connection starts with an empty view until ferry_browser_load().
 */
void
ferry_browser_set_control (FerryBrowser *self,
                           FerryControl *control)
{
  g_return_if_fail (FERRY_IS_BROWSER (self));
  g_return_if_fail (control == NULL || FERRY_IS_CONTROL (control));

  if (self->control == control)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_pointer (&self->loading_path, g_free);
  ferry_browser_set_loading (self, FALSE);

  g_set_object (&self->control, control);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_CONTROL]);
}

/**
 * ferry_browser_get_path:
 *
 * Returns: (nullable): the folder shown
 */
const char *
ferry_browser_get_path (FerryBrowser *self)
{
  g_return_val_if_fail (FERRY_IS_BROWSER (self), NULL);
  return self->path;
}

/**
 * ferry_browser_get_loading:
 *
 * Returns: whether a listing is on its way
 */
gboolean
ferry_browser_get_loading (FerryBrowser *self)
{
  g_return_val_if_fail (FERRY_IS_BROWSER (self), FALSE);
  return self->loading;
}

/**
 * ferry_browser_load:
 * @path: an absolute remote folder
 *
 * Lists @path; the view switches when the listing has arrived, so a slow
 * server leaves the old folder on screen meanwhile.
 */
void
ferry_browser_load (FerryBrowser *self,
                    const char   *path)
{
  g_return_if_fail (FERRY_IS_BROWSER (self));
  g_return_if_fail (path != NULL);

  if (self->control == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  g_free (self->loading_path);
  self->loading_path = g_strdup (path);
  ferry_browser_set_loading (self, TRUE);

  if (self->path == NULL || g_strcmp0 (gtk_stack_get_visible_child_name (self->view_stack),
                                       "disconnected") == 0)
    gtk_stack_set_visible_child_name (self->view_stack, "loading");

  ferry_control_list_async (self->control, path, self->cancellable, list_cb, g_object_ref (self));
}

/**
 * ferry_browser_reload:
 *
 * Lists the folder shown again.
 */
void
ferry_browser_reload (FerryBrowser *self)
{
  g_return_if_fail (FERRY_IS_BROWSER (self));

  if (self->path != NULL)
    ferry_browser_load (self, self->path);
}

/**
 * ferry_browser_go_up:
 *
 * Opens the parent folder.
 */
void
ferry_browser_go_up (FerryBrowser *self)
{
  g_autofree char *parent = NULL;

  g_return_if_fail (FERRY_IS_BROWSER (self));

  if (self->path == NULL || g_strcmp0 (self->path, "/") == 0)
    return;

  parent = ferry_remote_path_parent (self->path);
  if (*parent == '\0')
    return;

  ferry_browser_load (self, parent);
}

/**
 * ferry_browser_get_selection:
 *
 * Returns: (transfer none): the selection over the sorted files
 */
GtkSelectionModel *
ferry_browser_get_selection (FerryBrowser *self)
{
  g_return_val_if_fail (FERRY_IS_BROWSER (self), NULL);
  return GTK_SELECTION_MODEL (self->selection);
}

/**
 * ferry_browser_get_selected:
 *
 * Returns: (transfer container) (element-type FerryRemoteFile): the
 *   selected files, in display order
 */
GPtrArray *
ferry_browser_get_selected (FerryBrowser *self)
{
  g_autoptr(GtkBitset) set = NULL;
  GPtrArray *files;
  GtkBitsetIter iter;
  guint position;

  g_return_val_if_fail (FERRY_IS_BROWSER (self), NULL);

  files = g_ptr_array_new_with_free_func (g_object_unref);
  set = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, set, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    g_ptr_array_add (files, g_list_model_get_item (G_LIST_MODEL (self->selection), position));

  return files;
}

/**
 * ferry_browser_lookup:
 * @name: a file name in the folder shown
 *
 * Returns: (transfer none) (nullable): the entry called @name
 */
FerryRemoteFile *
ferry_browser_lookup (FerryBrowser *self,
                      const char   *name)
{
  guint n;

  g_return_val_if_fail (FERRY_IS_BROWSER (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryRemoteFile) file = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      if (g_strcmp0 (ferry_remote_file_get_name (file), name) == 0)
        return file;  /* the store keeps it alive */
    }

  return NULL;
}

/**
 * ferry_browser_select_name:
 * @name: a file name in the folder shown
 *
 * Selects only @name and scrolls it into view.
 *
 * Returns: whether @name is in the folder
 */
gboolean
ferry_browser_select_name (FerryBrowser *self,
                           const char   *name)
{
  guint n;

  g_return_val_if_fail (FERRY_IS_BROWSER (self), FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryRemoteFile) file = g_list_model_get_item (G_LIST_MODEL (self->selection), i);

      if (g_strcmp0 (ferry_remote_file_get_name (file), name) == 0)
        {
          gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), i, TRUE);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * ferry_browser_set_disconnected:
 * @message: why the connection ended
 *
 * Shows the "Connection Lost" page with a Reconnect button.
 */
void
ferry_browser_set_disconnected (FerryBrowser *self,
                                const char   *message)
{
  g_return_if_fail (FERRY_IS_BROWSER (self));

  g_cancellable_cancel (self->cancellable);
  ferry_browser_set_loading (self, FALSE);
  adw_status_page_set_description (self->disconnected_page, message);
  gtk_stack_set_visible_child_name (self->view_stack, "disconnected");
}

/**
 * ferry_browser_set_drop_active:
 * @active: whether files are being dragged over the browser
 *
 * Tells where a drop would upload to.
 */
void
ferry_browser_set_drop_active (FerryBrowser *self,
                               gboolean      active)
{
  g_return_if_fail (FERRY_IS_BROWSER (self));

  if (active && self->path != NULL)
    {
      /* Translators: %s is a remote folder */
      g_autofree char *text = g_strdup_printf (_("Drop to upload to “%s”"), self->path);
      gtk_label_set_label (self->drop_label, text);
    }
  gtk_revealer_set_reveal_child (self->drop_revealer, active && self->path != NULL);
}

/**
 * ferry_browser_focus:
 *
 * Moves the keyboard focus to the file list.
 */
void
ferry_browser_focus (FerryBrowser *self)
{
  g_return_if_fail (FERRY_IS_BROWSER (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}
