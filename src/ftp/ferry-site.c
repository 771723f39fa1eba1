/* ferry-site.c: where to connect, and remote path helpers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-site"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ferry-ftp-error.h"
#include "ferry-site.h"

struct _FerrySite
{
  GObject  parent_instance;

  /* Owned */
  char    *host;
  char    *user;
  char    *password;

  guint16  port;
};

G_DEFINE_FINAL_TYPE (FerrySite, ferry_site, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_USER,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void
ferry_site_finalize (GObject *object)
{
  FerrySite *self = (FerrySite *)object;

  g_free (self->host);
  g_free (self->user);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);

  G_OBJECT_CLASS (ferry_site_parent_class)->finalize (object);
}

static void
ferry_site_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FerrySite *self = FERRY_SITE (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_site_class_init (FerrySiteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_site_finalize;
  object_class->get_property = ferry_site_get_property;

  properties [PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 1, G_MAXUINT16, FERRY_DEFAULT_PORT,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_site_init (FerrySite *self)
{
  self->port = FERRY_DEFAULT_PORT;
}

/**
 * ferry_site_new:
 * @host: host name or address
 * @port: TCP port, 0 for 21
 * @user: (nullable): user name, %NULL or "" for anonymous
 * @password: (nullable): password
 *
 * Returns: (transfer full): a new site
 */
FerrySite *
ferry_site_new (const char *host,
                guint16     port,
                const char *user,
                const char *password)
{
  FerrySite *self;

  g_return_val_if_fail (host != NULL, NULL);

  self = g_object_new (FERRY_TYPE_SITE, NULL);
  self->host = g_strdup (host);
  self->port = port != 0 ? port : FERRY_DEFAULT_PORT;
  self->user = g_strdup (user != NULL && *user != '\0' ? user : NULL);
  self->password = g_strdup (password);

  return self;
}

/**
 * ferry_site_new_from_url:
 * @url: "ftp://user@host:port/path"; "ftp://" may be left out
 * @path: (out) (optional) (transfer full): the path, "" when none
 * @error: return location for an error
 *
 * Parses an FTP address.  A password inside the URL is taken but never
 * shown again.
 *
 * Returns: (transfer full) (nullable): the site
 */
FerrySite *
ferry_site_new_from_url (const char  *url,
                         char       **path,
                         GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *with_scheme = NULL;
  const char *scheme;
  const char *host;
  int port;

  g_return_val_if_fail (url != NULL, NULL);

  if (strstr (url, "://") == NULL)
    url = with_scheme = g_strconcat ("ftp://", url, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_URL,
                   _("“%s” is not an FTP address: %s"), url, local_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "ftp") != 0)
    {
      g_set_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_URL,
                   _("Ferry speaks plain FTP only, not “%s”"), scheme);
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_URL,
                   _("“%s” names no server"), url);
      return NULL;
    }

  port = g_uri_get_port (uri);
  if (port == 0 || port > G_MAXUINT16)
    {
      g_set_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_URL,
                   _("“%s” has no usable port"), url);
      return NULL;
    }

  /* RFC 1738 §3.2.2: the URL path is relative to the login folder; an
   * absolute path is written with %2F ("ftp://host/%2Fetc"). */
  if (path != NULL)
    {
      const char *p = g_uri_get_path (uri);
      *path = g_strdup (p[0] == '/' ? p + 1 : p);
    }

  return ferry_site_new (host, port < 0 ? FERRY_DEFAULT_PORT : port,
                         g_uri_get_user (uri), g_uri_get_password (uri));
}

/**
 * ferry_site_copy:
 *
 * Returns: (transfer full): a site with the same host, port, user and password
 */
FerrySite *
ferry_site_copy (FerrySite *self)
{
  g_return_val_if_fail (FERRY_IS_SITE (self), NULL);
  return ferry_site_new (self->host, self->port, self->user, self->password);
}

/**
 * ferry_site_get_host:
 *
 * Returns: the host
 */
const char *
ferry_site_get_host (FerrySite *self)
{
  g_return_val_if_fail (FERRY_IS_SITE (self), NULL);
  return self->host;
}

/**
 * ferry_site_get_port:
 *
 * Returns: the port
 */
guint16
ferry_site_get_port (FerrySite *self)
{
  g_return_val_if_fail (FERRY_IS_SITE (self), 0);
  return self->port;
}

/**
 * ferry_site_get_user:
 *
 * Returns: (nullable): the user, %NULL for anonymous
 */
const char *
ferry_site_get_user (FerrySite *self)
{
  g_return_val_if_fail (FERRY_IS_SITE (self), NULL);
  return self->user;
}

/**
 * ferry_site_get_password:
 *
 * Returns: (nullable): the password
 */
const char *
ferry_site_get_password (FerrySite *self)
{
  g_return_val_if_fail (FERRY_IS_SITE (self), NULL);
  return self->password;
}

/**
 * ferry_site_set_password:
 * @password: (nullable): the password
 *
 * Sets the password, for one asked for after the URL was parsed.
 */
void
ferry_site_set_password (FerrySite  *self,
                         const char *password)
{
  g_return_if_fail (FERRY_IS_SITE (self));

  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (password);
}

/**
 * ferry_site_is_anonymous:
 *
 * Returns: whether the login is anonymous
 */
gboolean
ferry_site_is_anonymous (FerrySite *self)
{
  g_return_val_if_fail (FERRY_IS_SITE (self), TRUE);
  return self->user == NULL || g_str_equal (self->user, "anonymous") ||
         g_str_equal (self->user, "ftp");
}

/**
 * ferry_site_to_url:
 * @path: (nullable): a remote path, relative to the login folder or absolute
 *
 * Returns: (transfer full): "ftp://user@host:port/path", never with the
 *   password; an absolute path is written "/%2F…" (RFC 1738)
 */
char *
ferry_site_to_url (FerrySite  *self,
                   const char *path)
{
  g_autofree char *escaped = NULL;
  g_autofree char *url_path = NULL;
  g_autofree char *user = NULL;

  g_return_val_if_fail (FERRY_IS_SITE (self), NULL);

  if (path == NULL)
    path = "";
  escaped = g_uri_escape_string (path[0] == '/' ? path + 1 : path,
                                 G_URI_RESERVED_CHARS_ALLOWED_IN_PATH, FALSE);
  url_path = g_strconcat (path[0] == '/' ? "/%2F" : "/", escaped, NULL);
  if (self->user != NULL)
    user = g_uri_escape_string (self->user, G_URI_RESERVED_CHARS_SUBCOMPONENT_DELIMITERS, FALSE);

  /* g_uri_join() brackets an IPv6 literal itself. */
  return g_uri_join (G_URI_FLAGS_ENCODED, "ftp", user, self->host,
                     self->port == FERRY_DEFAULT_PORT ? -1 : self->port,
                     url_path, NULL, NULL);
}

/**
 * ferry_site_get_display_name:
 *
 * Returns: (transfer full): "user@host" or "host", with the port when not 21
 */
char *
ferry_site_get_display_name (FerrySite *self)
{
  g_autoptr(GString) name = g_string_new (NULL);

  g_return_val_if_fail (FERRY_IS_SITE (self), NULL);

  if (self->user != NULL && !ferry_site_is_anonymous (self))
    g_string_append_printf (name, "%s@", self->user);
  if (strchr (self->host, ':') != NULL)
    g_string_append_printf (name, "[%s]", self->host);
  else
    g_string_append (name, self->host);
  if (self->port != FERRY_DEFAULT_PORT)
    g_string_append_printf (name, ":%u", self->port);

  return g_string_free (g_steal_pointer (&name), FALSE);
}

/**
 * ferry_remote_path_join:
 * @dir: a remote folder ("" or "/" for the root)
 * @name: a name in it
 *
 * Returns: (transfer full): "dir/name" with one slash between
 */
char *
ferry_remote_path_join (const char *dir,
                        const char *name)
{
  gsize len;

  g_return_val_if_fail (name != NULL, NULL);

  if (dir == NULL || *dir == '\0')
    return g_strdup (name);

  len = strlen (dir);
  if (dir[len - 1] == '/')
    return g_strconcat (dir, name, NULL);

  return g_strconcat (dir, "/", name, NULL);
}

/**
 * ferry_remote_path_parent:
 * @path: a remote path
 *
 * Returns: (transfer full): the folder holding @path ("/" for the root)
 */
char *
ferry_remote_path_parent (const char *path)
{
  g_autofree char *copy = NULL;
  char *slash;
  gsize len;

  g_return_val_if_fail (path != NULL, NULL);

  copy = g_strdup (path);
  len = strlen (copy);
  while (len > 1 && copy[len - 1] == '/')
    copy[--len] = '\0';

  slash = strrchr (copy, '/');
  if (slash == NULL)
    return g_strdup ("");
  if (slash == copy)
    return g_strdup ("/");

  *slash = '\0';
  return g_steal_pointer (&copy);
}

/**
 * ferry_remote_path_basename:
 * @path: a remote path
 *
 * Returns: (transfer none): the part after the last slash
 */
const char *
ferry_remote_path_basename (const char *path)
{
  const char *slash;

  g_return_val_if_fail (path != NULL, NULL);

  slash = strrchr (path, '/');
  return slash != NULL ? slash + 1 : path;
}
