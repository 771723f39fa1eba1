/* ferry-log-view.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "ferry-ftp.h"

G_BEGIN_DECLS

#define FERRY_TYPE_LOG_VIEW (ferry_log_view_get_type ())
G_DECLARE_FINAL_TYPE (FerryLogView, ferry_log_view, FERRY, LOG_VIEW, GtkWidget)

FerryControl *ferry_log_view_get_control (FerryLogView *self);
void          ferry_log_view_set_control (FerryLogView *self,
                                          FerryControl *control);
void          ferry_log_view_append      (FerryLogView *self,
                                          FerryLogKind  kind,
                                          const char   *text);
void          ferry_log_view_clear       (FerryLogView *self);
char         *ferry_log_view_get_text    (FerryLogView *self);

G_END_DECLS
