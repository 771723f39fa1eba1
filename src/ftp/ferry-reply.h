/* ferry-reply.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* RFC 959 §4.2: one reply may span lines; curl caps its control buffer at
 * 64 KiB, and so do we, so a hostile server cannot make us grow without bound. */
#define FERRY_REPLY_MAX_SIZE (64 * 1024)

#define FERRY_TYPE_REPLY (ferry_reply_get_type ())
G_DECLARE_FINAL_TYPE (FerryReply, ferry_reply, FERRY, REPLY, GObject)

#define FERRY_TYPE_REPLY_PARSER (ferry_reply_parser_get_type ())
G_DECLARE_FINAL_TYPE (FerryReplyParser, ferry_reply_parser, FERRY, REPLY_PARSER, GObject)

FerryReply         *ferry_reply_new              (guint               code,
                                                  const char * const *lines);
guint               ferry_reply_get_code         (FerryReply         *self);
guint               ferry_reply_get_class        (FerryReply         *self);
const char * const *ferry_reply_get_lines        (FerryReply         *self);
const char         *ferry_reply_get_text         (FerryReply         *self);
const char         *ferry_reply_get_first_line   (FerryReply         *self);
gboolean            ferry_reply_is_preliminary   (FerryReply         *self);
gboolean            ferry_reply_is_positive      (FerryReply         *self);

FerryReplyParser   *ferry_reply_parser_new       (void);
gboolean            ferry_reply_parser_feed      (FerryReplyParser   *self,
                                                  const char         *data,
                                                  gsize               len,
                                                  gsize              *consumed,
                                                  FerryReply        **reply,
                                                  GError            **error);
void                ferry_reply_parser_reset     (FerryReplyParser   *self);
gsize               ferry_reply_parser_get_pending (FerryReplyParser *self);

G_END_DECLS
