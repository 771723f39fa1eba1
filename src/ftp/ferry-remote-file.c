/* ferry-remote-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ferry-remote-file"

#include "config.h"

#include "ferry-ftp-enums.h"
#include "ferry-remote-file.h"

struct _FerryRemoteFile
{
  GObject        parent_instance;

  /* Owned */
  char          *name;
  GDateTime     *modified;
  char          *permissions;
  char          *link_target;

  gint64         size;
  FerryFileType  file_type;
  guint          mode;
};

G_DEFINE_FINAL_TYPE (FerryRemoteFile, ferry_remote_file, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_FILE_TYPE,
  PROP_SIZE,
  PROP_MODIFIED,
  PROP_PERMISSIONS,
  PROP_MODE,
  PROP_LINK_TARGET,
  PROP_ICON_NAME,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* g_set_str() is GLib 2.76; this is the same for 2.74. */
static gboolean
set_str (char       **str_pointer,
         const char  *new_str)
{
  char *copy;

  if (g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  copy = g_strdup (new_str);
  g_free (*str_pointer);
  *str_pointer = copy;

  return TRUE;
}

static void
ferry_remote_file_finalize (GObject *object)
{
  FerryRemoteFile *self = (FerryRemoteFile *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->modified, g_date_time_unref);
  g_clear_pointer (&self->permissions, g_free);
  g_clear_pointer (&self->link_target, g_free);

  G_OBJECT_CLASS (ferry_remote_file_parent_class)->finalize (object);
}

static void
ferry_remote_file_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FerryRemoteFile *self = FERRY_REMOTE_FILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_FILE_TYPE:
      g_value_set_enum (value, self->file_type);
      break;

    case PROP_SIZE:
      g_value_set_int64 (value, self->size);
      break;

    case PROP_MODIFIED:
      g_value_set_boxed (value, self->modified);
      break;

    case PROP_PERMISSIONS:
      g_value_set_string (value, self->permissions);
      break;

    case PROP_MODE:
      g_value_set_uint (value, self->mode);
      break;

    case PROP_LINK_TARGET:
      g_value_set_string (value, self->link_target);
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, ferry_remote_file_get_icon_name (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_remote_file_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FerryRemoteFile *self = FERRY_REMOTE_FILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_FILE_TYPE:
      self->file_type = g_value_get_enum (value);
      break;

    case PROP_SIZE:
      ferry_remote_file_set_size (self, g_value_get_int64 (value));
      break;

    case PROP_MODIFIED:
      ferry_remote_file_set_modified (self, g_value_get_boxed (value));
      break;

    case PROP_PERMISSIONS:
      ferry_remote_file_set_permissions (self, g_value_get_string (value));
      break;

    case PROP_MODE:
      ferry_remote_file_set_mode (self, g_value_get_uint (value));
      break;

    case PROP_LINK_TARGET:
      ferry_remote_file_set_link_target (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ferry_remote_file_class_init (FerryRemoteFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ferry_remote_file_finalize;
  object_class->get_property = ferry_remote_file_get_property;
  object_class->set_property = ferry_remote_file_set_property;

  /**
   * FerryRemoteFile:name:
   *
   * The entry's name in its folder, as the server sent it.  Only names
   * that passed ferry_listing_name_is_safe() come out of a listing.
   */
  properties [PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS |
                          G_PARAM_EXPLICIT_NOTIFY));

  /**
   * FerryRemoteFile:file-type:
   *
   * Whether the entry is a file, a folder, a symbolic link or something
   * else (a device, a socket, a FIFO).
   */
  properties [PROP_FILE_TYPE] =
    g_param_spec_enum ("file-type", NULL, NULL,
                       FERRY_TYPE_FILE_TYPE,
                       FERRY_FILE_TYPE_UNKNOWN,
                       (G_PARAM_READWRITE |
                        G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_STATIC_STRINGS |
                        G_PARAM_EXPLICIT_NOTIFY));

  /**
   * FerryRemoteFile:size:
   *
   * The size in bytes, or -1 when unknown.
   */
  properties [PROP_SIZE] =
    g_param_spec_int64 ("size", NULL, NULL,
                        -1, G_MAXINT64, -1,
                        (G_PARAM_READWRITE |
                         G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY));

  /**
   * FerryRemoteFile:modified:
   *
   * The time of the last modification, in UTC, or %NULL when unknown.
   */
  properties [PROP_MODIFIED] =
    g_param_spec_boxed ("modified", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE |
                         G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY));

  /**
   * FerryRemoteFile:permissions:
   *
   * The permissions as the server shows them: "rwxr-xr-x" for a Unix mode,
   * or the value of the MLSD "perm" fact ("adfrw"), or %NULL.
   */
  properties [PROP_PERMISSIONS] =
    g_param_spec_string ("permissions", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_STATIC_STRINGS |
                          G_PARAM_EXPLICIT_NOTIFY));

  /**
   * FerryRemoteFile:mode:
   *
   * The Unix permission bits (0 to 07777), or 0 when unknown.
   */
  properties [PROP_MODE] =
    g_param_spec_uint ("mode", NULL, NULL,
                       0, 07777, 0,
                       (G_PARAM_READWRITE |
                        G_PARAM_STATIC_STRINGS |
                        G_PARAM_EXPLICIT_NOTIFY));

  /**
   * FerryRemoteFile:link-target:
   *
   * Where a symbolic link points, as the server sent it, or %NULL.  It is
   * for display only: it may point anywhere, "../../etc" included.
   */
  properties [PROP_LINK_TARGET] =
    g_param_spec_string ("link-target", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE |
                          G_PARAM_STATIC_STRINGS |
                          G_PARAM_EXPLICIT_NOTIFY));

  /**
   * FerryRemoteFile:icon-name:
   *
   * A themed icon name for the entry's type.
   */
  properties [PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE |
                          G_PARAM_STATIC_STRINGS |
                          G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ferry_remote_file_init (FerryRemoteFile *self)
{
  self->size = -1;
}

/**
 * ferry_remote_file_new:
 * @name: the entry's name
 * @file_type: the entry's type
 *
 * Creates an entry whose size, time and permissions are unknown until set.
 *
 * Returns: (transfer full): a new #FerryRemoteFile
 */
FerryRemoteFile *
ferry_remote_file_new (const char    *name,
                       FerryFileType  file_type)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_object_new (FERRY_TYPE_REMOTE_FILE,
                       "name", name,
                       "file-type", file_type,
                       NULL);
}

/**
 * ferry_remote_file_get_name:
 * @self: a #FerryRemoteFile
 *
 * Returns: (transfer none): the entry's name
 */
const char *
ferry_remote_file_get_name (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);

  return self->name;
}

/**
 * ferry_remote_file_get_file_type:
 * @self: a #FerryRemoteFile
 *
 * Returns: the entry's type
 */
FerryFileType
ferry_remote_file_get_file_type (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), FERRY_FILE_TYPE_UNKNOWN);

  return self->file_type;
}

/**
 * ferry_remote_file_is_directory:
 * @self: a #FerryRemoteFile
 *
 * Whether the entry is a folder.  A symbolic link is not, even when it
 * points to one: its target is not known from a listing.
 *
 * Returns: %TRUE for %FERRY_FILE_TYPE_DIRECTORY
 */
gboolean
ferry_remote_file_is_directory (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), FALSE);

  return self->file_type == FERRY_FILE_TYPE_DIRECTORY;
}

/**
 * ferry_remote_file_get_size:
 * @self: a #FerryRemoteFile
 *
 * Returns: the size in bytes, or -1 when unknown
 */
gint64
ferry_remote_file_get_size (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), -1);

  return self->size;
}

/**
 * ferry_remote_file_set_size:
 * @self: a #FerryRemoteFile
 * @size: the size in bytes, or -1 when unknown
 *
 * Sets #FerryRemoteFile:size.
 */
void
ferry_remote_file_set_size (FerryRemoteFile *self,
                            gint64           size)
{
  g_return_if_fail (FERRY_IS_REMOTE_FILE (self));
  g_return_if_fail (size >= -1);

  if (self->size == size)
    return;

  self->size = size;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SIZE]);
}

/**
 * ferry_remote_file_get_modified:
 * @self: a #FerryRemoteFile
 *
 * Returns: (transfer none) (nullable): the modification time in UTC
 */
GDateTime *
ferry_remote_file_get_modified (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);

  return self->modified;
}

/**
 * ferry_remote_file_set_modified:
 * @self: a #FerryRemoteFile
 * @modified: (nullable): the modification time, in any time zone
 *
 * Sets #FerryRemoteFile:modified, converted to UTC.
 */
void
ferry_remote_file_set_modified (FerryRemoteFile *self,
                                GDateTime       *modified)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_if_fail (FERRY_IS_REMOTE_FILE (self));

  if (modified != NULL)
    utc = g_date_time_to_utc (modified);

  if (self->modified == utc ||
      (self->modified != NULL && utc != NULL && g_date_time_equal (self->modified, utc)))
    return;

  g_clear_pointer (&self->modified, g_date_time_unref);
  self->modified = g_steal_pointer (&utc);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODIFIED]);
}

/**
 * ferry_remote_file_get_permissions:
 * @self: a #FerryRemoteFile
 *
 * Returns: (transfer none) (nullable): the permissions as the server shows them
 */
const char *
ferry_remote_file_get_permissions (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);

  return self->permissions;
}

/**
 * ferry_remote_file_set_permissions:
 * @self: a #FerryRemoteFile
 * @permissions: (nullable): e.g. "rwxr-xr-x" or an MLSD perm fact
 *
 * Sets #FerryRemoteFile:permissions.
 */
void
ferry_remote_file_set_permissions (FerryRemoteFile *self,
                                   const char      *permissions)
{
  g_return_if_fail (FERRY_IS_REMOTE_FILE (self));

  if (set_str (&self->permissions, permissions))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PERMISSIONS]);
}

/**
 * ferry_remote_file_get_mode:
 * @self: a #FerryRemoteFile
 *
 * Returns: the Unix permission bits, or 0 when unknown
 */
guint
ferry_remote_file_get_mode (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), 0);

  return self->mode;
}

/**
 * ferry_remote_file_set_mode:
 * @self: a #FerryRemoteFile
 * @mode: Unix permission bits, 0 to 07777
 *
 * Sets #FerryRemoteFile:mode.
 */
void
ferry_remote_file_set_mode (FerryRemoteFile *self,
                            guint            mode)
{
  g_return_if_fail (FERRY_IS_REMOTE_FILE (self));
  g_return_if_fail (mode <= 07777);

  if (self->mode == mode)
    return;

  self->mode = mode;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODE]);
}

/**
 * ferry_remote_file_get_link_target:
 * @self: a #FerryRemoteFile
 *
 * Returns: (transfer none) (nullable): where a symbolic link points
 */
const char *
ferry_remote_file_get_link_target (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);

  return self->link_target;
}

/**
 * ferry_remote_file_set_link_target:
 * @self: a #FerryRemoteFile
 * @link_target: (nullable): where the link points
 *
 * Sets #FerryRemoteFile:link-target.
 */
void
ferry_remote_file_set_link_target (FerryRemoteFile *self,
                                   const char      *link_target)
{
  g_return_if_fail (FERRY_IS_REMOTE_FILE (self));

  if (set_str (&self->link_target, link_target))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LINK_TARGET]);
}

/**
 * ferry_remote_file_get_icon_name:
 * @self: a #FerryRemoteFile
 *
 * Gets a themed icon name for the entry's type.
 *
 * Returns: (transfer none): "folder", "emblem-symbolic-link" or
 *   "text-x-generic"
 */
const char *
ferry_remote_file_get_icon_name (FerryRemoteFile *self)
{
  g_return_val_if_fail (FERRY_IS_REMOTE_FILE (self), NULL);

  switch (self->file_type)
    {
    case FERRY_FILE_TYPE_DIRECTORY:
      return "folder";
    case FERRY_FILE_TYPE_SYMLINK:
      return "emblem-symbolic-link";
    case FERRY_FILE_TYPE_UNKNOWN:
    case FERRY_FILE_TYPE_FILE:
    case FERRY_FILE_TYPE_SPECIAL:
    default:
      return "text-x-generic";
    }
}
