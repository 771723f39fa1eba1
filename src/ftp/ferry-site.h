/* ferry-site.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FERRY_DEFAULT_PORT 21

#define FERRY_TYPE_SITE (ferry_site_get_type ())
G_DECLARE_FINAL_TYPE (FerrySite, ferry_site, FERRY, SITE, GObject)

FerrySite  *ferry_site_new            (const char  *host,
                                       guint16      port,
                                       const char  *user,
                                       const char  *password);
FerrySite  *ferry_site_new_from_url   (const char  *url,
                                       char       **path,
                                       GError     **error);
FerrySite  *ferry_site_copy           (FerrySite   *self);
const char *ferry_site_get_host       (FerrySite   *self);
guint16     ferry_site_get_port       (FerrySite   *self);
const char *ferry_site_get_user       (FerrySite   *self);
const char *ferry_site_get_password   (FerrySite   *self);
void        ferry_site_set_password   (FerrySite   *self,
                                       const char  *password);
gboolean    ferry_site_is_anonymous   (FerrySite   *self);
char       *ferry_site_to_url         (FerrySite   *self,
                                       const char  *path);
char       *ferry_site_get_display_name (FerrySite *self);

char       *ferry_remote_path_join    (const char  *dir,
                                       const char  *name);
char       *ferry_remote_path_parent  (const char  *path);
const char *ferry_remote_path_basename (const char *path);

G_END_DECLS
