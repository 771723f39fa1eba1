/* ferry-pool.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-control.h"
#include "ferry-site.h"

G_BEGIN_DECLS

#define FERRY_TYPE_POOL (ferry_pool_get_type ())
G_DECLARE_FINAL_TYPE (FerryPool, ferry_pool, FERRY, POOL, GObject)

FerryPool    *ferry_pool_new              (void);
FerryControl *ferry_pool_take             (FerryPool    *self,
                                           FerrySite    *site);
void          ferry_pool_give             (FerryPool    *self,
                                           FerrySite    *site,
                                           FerryControl *control);
guint         ferry_pool_get_n_idle       (FerryPool    *self);
void          ferry_pool_set_idle_timeout (FerryPool    *self,
                                           guint         seconds);

G_END_DECLS
