/* ferry-connect-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ferry-ftp.h"

G_BEGIN_DECLS

#define FERRY_TYPE_CONNECT_PAGE (ferry_connect_page_get_type ())
G_DECLARE_FINAL_TYPE (FerryConnectPage, ferry_connect_page, FERRY, CONNECT_PAGE, GtkWidget)

FerrySite *ferry_connect_page_get_site   (FerryConnectPage    *self,
                                          char               **path,
                                          GError             **error);
void       ferry_connect_page_set_url    (FerryConnectPage    *self,
                                          const char          *url);
void       ferry_connect_page_set_busy   (FerryConnectPage    *self,
                                          gboolean             busy);
void       ferry_connect_page_set_error  (FerryConnectPage    *self,
                                          const char          *message);
void       ferry_connect_page_set_recent (FerryConnectPage    *self,
                                          const char * const  *urls);
void       ferry_connect_page_focus      (FerryConnectPage    *self);

G_END_DECLS
