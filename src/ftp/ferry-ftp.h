/* ferry-ftp.h: the one header the CLI and the UI include
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "ferry-control.h"
#include "ferry-data-channel.h"
#include "ferry-ftp-enums.h"
#include "ferry-ftp-error.h"
#include "ferry-listing.h"
#include "ferry-pool.h"
#include "ferry-queue.h"
#include "ferry-remote-file.h"
#include "ferry-reply.h"
#include "ferry-site.h"
#include "ferry-transfer.h"
