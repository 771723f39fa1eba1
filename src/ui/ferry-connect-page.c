/* ferry-connect-page.c: the login form and the recent servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-connect-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "ferry-connect-page.h"

struct _FerryConnectPage
{
  GtkWidget       parent_instance;

  /* Template widgets */
  AdwStatusPage  *status_page;
  AdwEntryRow    *host_row;
  AdwEntryRow    *port_row;
  GtkSwitch      *anonymous_switch;
  AdwEntryRow    *user_row;
  AdwEntryRow    *password_row;
  GtkLabel       *error_label;
  GtkWidget      *connect_button;
  GtkSpinner     *spinner;
  GtkLabel       *connect_label;
  GtkWidget      *recent_group;
  GtkListBox     *recent_list;

  /* Owned */
  char           *path;
  guint           split_id;

  guint           filling : 1;
};

G_DEFINE_FINAL_TYPE (FerryConnectPage, ferry_connect_page, GTK_TYPE_WIDGET)

static gboolean
looks_like_url (const char *text)
{
  const char *colon = strchr (text, ':');

  /* "host:port" has one colon; an IPv6 literal has several. */
  return strstr (text, "://") != NULL || strchr (text, '@') != NULL ||
         strchr (text, '/') != NULL || (colon != NULL && strchr (colon + 1, ':') == NULL);
}

static void
ferry_connect_page_fill (FerryConnectPage *self,
                         FerrySite        *site,
                         const char       *path)
{
  g_autofree char *port = g_strdup_printf ("%u", ferry_site_get_port (site));
  const char *host = ferry_site_get_host (site);
  gboolean anonymous = ferry_site_is_anonymous (site);
  g_autofree char *bracketed = NULL;

  if (strchr (host, ':') != NULL)
    host = bracketed = g_strdup_printf ("[%s]", host);

  self->filling = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), host);
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port);
  gtk_switch_set_active (self->anonymous_switch, anonymous);
  gtk_editable_set_text (GTK_EDITABLE (self->user_row),
                         anonymous ? "" : ferry_site_get_user (site));
  gtk_editable_set_text (GTK_EDITABLE (self->password_row),
                         ferry_site_get_password (site) != NULL ?
                         ferry_site_get_password (site) : "");
  g_free (self->path);
  self->path = g_strdup (path != NULL && *path != '\0' ? path : NULL);
  self->filling = FALSE;
}

/* A pasted ftp://user@host:port/path is spread over the fields, once the
 * edit that brought it is over. */
static gboolean
split_url_cb (gpointer user_data)
{
  FerryConnectPage *self = user_data;
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;
  g_autoptr(FerrySite) site = NULL;

  self->split_id = 0;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  if (strstr (text, "://") == NULL)
    return G_SOURCE_REMOVE;

  site = ferry_site_new_from_url (text, &path, NULL);
  if (site != NULL)
    {
      ferry_connect_page_fill (self, site, path);
      gtk_editable_set_position (GTK_EDITABLE (self->host_row), -1);
    }

  return G_SOURCE_REMOVE;
}

static void
host_changed_cb (FerryConnectPage *self)
{
  g_assert (FERRY_IS_CONNECT_PAGE (self));

  if (self->filling)
    return;

  /* A path remembered from a recent server belongs to that server. */
  g_clear_pointer (&self->path, g_free);
  ferry_connect_page_set_error (self, NULL);

  if (self->split_id == 0 &&
      strstr (gtk_editable_get_text (GTK_EDITABLE (self->host_row)), "://") != NULL)
    self->split_id = g_idle_add (split_url_cb, self);
}

static void
entry_activated_cb (FerryConnectPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", NULL);
}

static void
anonymous_changed_cb (FerryConnectPage *self)
{
  gboolean anonymous = gtk_switch_get_active (self->anonymous_switch);

  gtk_widget_set_sensitive (GTK_WIDGET (self->user_row), !anonymous);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !anonymous);
}

static void
recent_activated_cb (FerryConnectPage *self,
                     GtkListBoxRow    *row)
{
  const char *url = g_object_get_data (G_OBJECT (row), "ferry-url");

  if (url == NULL)
    return;

  ferry_connect_page_set_url (self, url);

  /* Passwords are never stored, so ask for it unless none is needed. */
  if (gtk_switch_get_active (self->anonymous_switch))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.connect", NULL);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
ferry_connect_page_dispose (GObject *object)
{
  FerryConnectPage *self = (FerryConnectPage *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->split_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FERRY_TYPE_CONNECT_PAGE);
  /* The template's unnamed top box is not among its bound children. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (ferry_connect_page_parent_class)->dispose (object);
}

static void
ferry_connect_page_finalize (GObject *object)
{
  FerryConnectPage *self = (FerryConnectPage *)object;

  g_free (self->path);

  G_OBJECT_CLASS (ferry_connect_page_parent_class)->finalize (object);
}

static void
ferry_connect_page_class_init (FerryConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ferry_connect_page_dispose;
  object_class->finalize = ferry_connect_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/ferryftp/Ferry/ui/ferry-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, host_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, port_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, anonymous_switch);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, user_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, connect_button);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, connect_label);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, recent_group);
  gtk_widget_class_bind_template_child (widget_class, FerryConnectPage, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, host_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, anonymous_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, recent_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
ferry_connect_page_init (FerryConnectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ferry_connect_page_get_site:
 * @path: (out) (optional): the folder to open first, or %NULL for the
 *   login folder
 *
 * Reads the form.  The server field may hold a whole ftp:// address.
 *
 * Returns: (transfer full) (nullable): where to connect, or %NULL with
 *   @error set when the form is not filled in right
 */
FerrySite *
ferry_connect_page_get_site (FerryConnectPage  *self,
                             char             **path,
                             GError           **error)
{
  g_autofree char *host = NULL;
  g_autofree char *url_path = NULL;
  g_autoptr(FerrySite) site = NULL;
  const char *port_text, *user, *password;
  gboolean anonymous;
  guint64 port = FERRY_DEFAULT_PORT;

  g_return_val_if_fail (FERRY_IS_CONNECT_PAGE (self), NULL);

  host = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->host_row))));
  port_text = gtk_editable_get_text (GTK_EDITABLE (self->port_row));
  anonymous = gtk_switch_get_active (self->anonymous_switch);
  user = anonymous ? NULL : gtk_editable_get_text (GTK_EDITABLE (self->user_row));
  password = anonymous ? NULL : gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (password != NULL && *password == '\0')
    password = NULL;

  if (*host == '\0')
    {
      g_set_error_literal (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_URL,
                           _("Enter the address of a server"));
      return NULL;
    }

  if (*port_text != '\0' &&
      !g_ascii_string_to_unsigned (port_text, 10, 1, G_MAXUINT16, &port, NULL))
    {
      g_set_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_URL,
                   _("“%s” is not a port number"), port_text);
      return NULL;
    }

  if (looks_like_url (host))
    {
      g_autoptr(FerrySite) parsed = ferry_site_new_from_url (host, &url_path, error);
      const char *parsed_user;

      if (parsed == NULL)
        return NULL;

      /* What the address says wins; the fields fill what it leaves out. */
      parsed_user = ferry_site_get_user (parsed);
      site = ferry_site_new (ferry_site_get_host (parsed),
                             strstr (host, "://") != NULL || strchr (host, ':') != NULL ?
                             ferry_site_get_port (parsed) : (guint16) port,
                             parsed_user != NULL ? parsed_user : user,
                             ferry_site_get_password (parsed) != NULL ?
                             ferry_site_get_password (parsed) : password);
    }
  else
    {
      /* Brackets around an IPv6 literal are for URLs only. */
      if (host[0] == '[' && host[strlen (host) - 1] == ']')
        {
          host[strlen (host) - 1] = '\0';
          memmove (host, host + 1, strlen (host));
        }

      if (strpbrk (host, " \t\r\n") != NULL)
        {
          g_set_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_URL,
                       _("“%s” is not a server address"), host);
          return NULL;
        }

      site = ferry_site_new (host, (guint16) port, user, password);
    }

  if (path != NULL)
    {
      if (url_path != NULL && *url_path != '\0')
        *path = g_steal_pointer (&url_path);
      else
        *path = g_strdup (self->path);
    }

  return g_steal_pointer (&site);
}

/**
 * ferry_connect_page_set_url:
 * @url: an ftp:// address
 *
 * Fills the form from @url, e.g. a recent server.
 */
void
ferry_connect_page_set_url (FerryConnectPage *self,
                            const char       *url)
{
  g_autoptr(FerrySite) site = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));
  g_return_if_fail (url != NULL);

  site = ferry_site_new_from_url (url, &path, NULL);
  if (site != NULL)
    ferry_connect_page_fill (self, site, path);
}

/**
 * ferry_connect_page_set_busy:
 * @busy: whether a connection is being made
 *
 * Shows the spinner and locks the form while connecting.
 */
void
ferry_connect_page_set_busy (FerryConnectPage *self,
                             gboolean          busy)
{
  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_label_set_label (self->connect_label, busy ? _("Connecting…") : _("_Connect"));

  /* Read-only rather than insensitive: a focused text field that turns
   * insensitive loses its focus-out event. */
  gtk_editable_set_editable (GTK_EDITABLE (self->host_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->port_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->user_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->anonymous_switch), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->recent_list), !busy);
  if (busy)
    ferry_connect_page_set_error (self, NULL);
}

/**
 * ferry_connect_page_set_error:
 * @message: (nullable): why the last try failed, or %NULL to hide it
 */
void
ferry_connect_page_set_error (FerryConnectPage *self,
                              const char       *message)
{
  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/**
 * ferry_connect_page_set_recent:
 * @urls: (array zero-terminated=1): ftp:// addresses, newest first
 */
void
ferry_connect_page_set_recent (FerryConnectPage   *self,
                               const char * const *urls)
{
  GtkWidget *child;
  guint n = 0;

  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; urls != NULL && urls[i] != NULL; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *name = NULL;
      g_autoptr(FerrySite) site = ferry_site_new_from_url (urls[i], &path, NULL);
      GtkWidget *row, *icon;

      if (site == NULL)
        continue;

      name = ferry_site_get_display_name (site);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (path != NULL && *path != '\0' && g_strcmp0 (path, "/") != 0)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), path);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("network-server-symbolic"));
      icon = gtk_image_new_from_icon_name ("go-next-symbolic");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data_full (G_OBJECT (row), "ferry-url", g_strdup (urls[i]), g_free);
      gtk_list_box_append (self->recent_list, row);
      n++;
    }

  gtk_widget_set_visible (self->recent_group, n > 0);
}

/**
 * ferry_connect_page_focus:
 *
 * Puts the keyboard focus on the first field that needs typing.
 */
void
ferry_connect_page_focus (FerryConnectPage *self)
{
  g_return_if_fail (FERRY_IS_CONNECT_PAGE (self));

  if (*gtk_editable_get_text (GTK_EDITABLE (self->host_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->host_row));
  else if (!gtk_switch_get_active (self->anonymous_switch) &&
           *gtk_editable_get_text (GTK_EDITABLE (self->password_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
  else
    gtk_widget_grab_focus (self->connect_button);
}
