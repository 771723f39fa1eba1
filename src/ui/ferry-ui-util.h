/* ferry-ui-util.h: formatting shared by the window, rows and browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char  *ferry_format_time_left (gint64      seconds);
char  *ferry_format_progress  (gint64      bytes_done,
                               gint64      total_size,
                               double      speed,
                               gint64      eta,
                               gboolean    moving);
char  *ferry_format_date      (GDateTime  *date);
GFile *ferry_download_folder  (GSettings  *settings);

G_END_DECLS
