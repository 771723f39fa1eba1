/* ferry-listing.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure parsers for directory listings: one line in, one entry out.
 */

#pragma once

#include "ferry-remote-file.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_LISTING_FORMAT_LIST,   /* LIST: Unix ls -l, or DOS/IIS, detected per line */
  FERRY_LISTING_FORMAT_MLSD,   /* RFC 3659 machine listing */
} FerryListingFormat;

/* The result of parsing one line. */
typedef enum
{
  FERRY_LISTING_LINE_ENTRY,     /* *out_file is set */
  FERRY_LISTING_LINE_SKIP,      /* "total 12", "." or "..", blank: nothing to show */
  FERRY_LISTING_LINE_UNSAFE,    /* a name with '/', NUL, control characters: never used */
  FERRY_LISTING_LINE_INVALID,   /* not a listing line we understand */
} FerryListingLine;

gboolean          ferry_listing_name_is_safe (const char          *name,
                                              gssize               len);
FerryListingLine  ferry_listing_parse_line   (FerryListingFormat   format,
                                              const char          *line,
                                              gsize                len,
                                              GDateTime           *now,
                                              FerryRemoteFile    **out_file);
GPtrArray        *ferry_listing_parse        (FerryListingFormat   format,
                                              const char          *data,
                                              gsize                len,
                                              GDateTime           *now,
                                              guint               *n_unsafe,
                                              guint               *n_invalid);

G_END_DECLS
