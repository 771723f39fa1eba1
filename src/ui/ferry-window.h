/* ferry-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "ferry-application.h"
#include "ferry-ftp.h"

G_BEGIN_DECLS

#define FERRY_TYPE_WINDOW (ferry_window_get_type ())
G_DECLARE_FINAL_TYPE (FerryWindow, ferry_window, FERRY, WINDOW, AdwApplicationWindow)

FerryWindow  *ferry_window_new           (FerryApplication *application);
void          ferry_window_open_url      (FerryWindow      *self,
                                          const char       *url);
gboolean      ferry_window_get_connected (FerryWindow      *self);
FerryQueue   *ferry_window_get_queue     (FerryWindow      *self);
FerryControl *ferry_window_get_control   (FerryWindow      *self);

G_END_DECLS
