/* ferry-remote-file.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  FERRY_FILE_TYPE_UNKNOWN,
  FERRY_FILE_TYPE_FILE,
  FERRY_FILE_TYPE_DIRECTORY,
  FERRY_FILE_TYPE_SYMLINK,
  FERRY_FILE_TYPE_SPECIAL,
} FerryFileType;

#define FERRY_TYPE_REMOTE_FILE (ferry_remote_file_get_type ())
G_DECLARE_FINAL_TYPE (FerryRemoteFile, ferry_remote_file, FERRY, REMOTE_FILE, GObject)

FerryRemoteFile *ferry_remote_file_new              (const char      *name,
                                                     FerryFileType    file_type);
const char      *ferry_remote_file_get_name         (FerryRemoteFile *self);
FerryFileType    ferry_remote_file_get_file_type    (FerryRemoteFile *self);
gboolean         ferry_remote_file_is_directory     (FerryRemoteFile *self);
gint64           ferry_remote_file_get_size         (FerryRemoteFile *self);
void             ferry_remote_file_set_size         (FerryRemoteFile *self,
                                                     gint64           size);
GDateTime       *ferry_remote_file_get_modified     (FerryRemoteFile *self);
void             ferry_remote_file_set_modified     (FerryRemoteFile *self,
                                                     GDateTime       *modified);
const char      *ferry_remote_file_get_permissions  (FerryRemoteFile *self);
void             ferry_remote_file_set_permissions  (FerryRemoteFile *self,
                                                     const char      *permissions);
guint            ferry_remote_file_get_mode         (FerryRemoteFile *self);
void             ferry_remote_file_set_mode         (FerryRemoteFile *self,
                                                     guint            mode);
const char      *ferry_remote_file_get_link_target  (FerryRemoteFile *self);
void             ferry_remote_file_set_link_target  (FerryRemoteFile *self,
                                                     const char      *link_target);
const char      *ferry_remote_file_get_icon_name    (FerryRemoteFile *self);

G_END_DECLS
