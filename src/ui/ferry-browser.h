/* ferry-browser.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ferry-ftp.h"

G_BEGIN_DECLS

#define FERRY_TYPE_BROWSER (ferry_browser_get_type ())
G_DECLARE_FINAL_TYPE (FerryBrowser, ferry_browser, FERRY, BROWSER, GtkWidget)

FerryControl      *ferry_browser_get_control      (FerryBrowser *self);
void               ferry_browser_set_control      (FerryBrowser *self,
                                                   FerryControl *control);
const char        *ferry_browser_get_path         (FerryBrowser *self);
gboolean           ferry_browser_get_loading      (FerryBrowser *self);
void               ferry_browser_load             (FerryBrowser *self,
                                                   const char   *path);
void               ferry_browser_reload           (FerryBrowser *self);
void               ferry_browser_go_up            (FerryBrowser *self);
GtkSelectionModel *ferry_browser_get_selection    (FerryBrowser *self);
GPtrArray         *ferry_browser_get_selected     (FerryBrowser *self);
gboolean           ferry_browser_select_name      (FerryBrowser *self,
                                                   const char   *name);
FerryRemoteFile   *ferry_browser_lookup           (FerryBrowser *self,
                                                   const char   *name);
void               ferry_browser_set_disconnected (FerryBrowser *self,
                                                   const char   *message);
void               ferry_browser_set_drop_active  (FerryBrowser *self,
                                                   gboolean      active);
void               ferry_browser_focus            (FerryBrowser *self);

G_END_DECLS
