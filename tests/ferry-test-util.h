/* ferry-test-util.h: helpers shared by Ferry's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "ferry-site.h"

G_BEGIN_DECLS

typedef enum
{
  FERRY_TEST_SERVER_PYFTPDLIB,  /* Debian's python3-pyftpdlib, user "ferry" / "secret" */
  FERRY_TEST_SERVER_VSFTPD,     /* Debian's vsftpd, anonymous with uploads */
  FERRY_TEST_SERVER_FAULT,      /* tests/servers/ferry-fault-server.py, driven by a script */
} FerryTestServerKind;

typedef struct _FerryTestServer FerryTestServer;

/* Fails the running test (instead of hanging it) when the main context has
 * been iterated for longer than @seconds without *@flag turning TRUE. */
void             ferry_test_wait_for            (gboolean            *flag,
                                                 guint                seconds);

/* Starts a server on a free loopback port serving @root (a local folder).
 * @script is the fault server's JSON script (NULL otherwise).  @port 0 picks a
 * free port; a non-zero port restarts a server where an earlier one was.
 * Returns NULL and sets @error when the server cannot run here (missing
 * package): callers then g_test_skip(). */
FerryTestServer *ferry_test_server_start        (FerryTestServerKind  kind,
                                                 const char          *root,
                                                 const char          *script,
                                                 guint16              port,
                                                 GError             **error);
FerryTestServer *ferry_test_server_start_or_skip (FerryTestServerKind kind,
                                                 const char          *root,
                                                 const char          *script);
void             ferry_test_server_stop         (FerryTestServer     *server);
FerrySite       *ferry_test_server_new_site     (FerryTestServer     *server);
const char      *ferry_test_server_get_host     (FerryTestServer     *server);
guint16          ferry_test_server_get_port     (FerryTestServer     *server);
const char      *ferry_test_server_get_user     (FerryTestServer     *server);
const char      *ferry_test_server_get_password (FerryTestServer     *server);
const char      *ferry_test_server_get_root     (FerryTestServer     *server);
/* ftp://user@127.0.0.1:port/path (no password in it) */
char            *ferry_test_server_get_url      (FerryTestServer     *server,
                                                 const char          *path);
/* The fault server's command log: one received command per line
 * ("RETR file", "REST 65536", "PASS ****"), NULL for other kinds. */
char           **ferry_test_server_get_commands (FerryTestServer     *server);
guint            ferry_test_server_count_commands (FerryTestServer   *server,
                                                 const char          *prefix);

char            *ferry_test_make_tmpdir         (void);
void             ferry_test_rm_rf               (const char          *path);
void             ferry_test_write_random_file   (const char          *path,
                                                 goffset              size,
                                                 guint32              seed);
char            *ferry_test_sha256_file         (const char          *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FerryTestServer, ferry_test_server_stop)

G_END_DECLS
