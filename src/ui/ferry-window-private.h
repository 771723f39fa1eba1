/* ferry-window-private.h: what ferry-window*.c share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-browser.h"
#include "ferry-connect-page.h"
#include "ferry-log-view.h"
#include "ferry-window.h"

G_BEGIN_DECLS

struct _FerryWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkWidget            *browse_buttons;
  GtkToggleButton      *log_button;
  GtkToggleButton      *transfers_button;
  GtkMenuButton        *menu_button;
  AdwToastOverlay      *toast_overlay;
  GtkPaned             *log_paned;
  GtkPaned             *transfer_paned;
  GtkStack             *main_stack;
  FerryConnectPage     *connect_page;
  FerryBrowser         *browser;
  GtkWidget            *transfer_pane;
  GtkStack             *transfer_stack;
  GtkListView          *transfer_list;
  GtkProgressBar       *total_progress;
  GtkLabel             *total_label;
  GtkSwitch            *resume_switch;
  FerryLogView         *log_view;

  /* Owned */
  GSettings            *settings;
  FerryQueue           *queue;
  FerryControl         *control;
  FerrySite            *site;
  GCancellable         *cancellable;          /* cancelled on close */
  GCancellable         *connect_cancellable;
  GtkDropTarget        *drop_target;
  GtkFileChooserNative *chooser;
  AdwToast             *lost_toast;
  char                 *start_path;           /* open this after connecting */
  guint                 refresh_id;

  guint                 batch_done;
  guint                 batch_failed;

  guint                 connecting : 1;
  guint                 close_confirmed : 1;
};

/* ferry-window.c */
void      _ferry_window_toast              (FerryWindow      *self,
                                            const char       *message);
void      _ferry_window_connect            (FerryWindow      *self,
                                            FerrySite        *site,
                                            const char       *path);
void      _ferry_window_add_transfer       (FerryWindow      *self,
                                            FerryTransfer    *transfer);
void      _ferry_window_update_actions     (FerryWindow      *self);
void      _ferry_window_show_page          (FerryWindow      *self,
                                            const char       *name);
void      _ferry_window_schedule_refresh   (FerryWindow      *self);

/* ferry-window-actions.c */
void      _ferry_window_class_actions_init (GtkWidgetClass   *widget_class);
void      _ferry_window_download           (FerryWindow      *self,
                                            GPtrArray        *files,
                                            GFile            *folder);

/* ferry-window-dnd.c */
void      _ferry_window_dnd_init           (FerryWindow      *self);
void      _ferry_window_upload             (FerryWindow      *self,
                                            GSList           *files,
                                            const char       *remote_dir);

G_END_DECLS
