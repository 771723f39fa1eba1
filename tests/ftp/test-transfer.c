/* test-transfer.c: FerryTransfer against the misbehaving fault server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One case per failure PROTOCOL.md lists, each way where both apply.  Every
 * case ends with the file byte-identical to its source, or with a clear
 * GError and no file presented as complete: a failed download leaves at
 * most "name.ferry-part" and its ".info" in the chosen folder, and nothing
 * is ever written outside it.  The server's command log shows how many
 * tries there were and which REST offsets they used.
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "ferry-ftp.h"
#include "ferry-test-util.h"

#define FILE_NAME     "file.bin"
#define FILE_SIZE     (1024 * 1024)
#define OVERLAP       (64 * 1024)
#define RESET_AT      100000
#define WATCHDOG      60

/* FEAT without "REST STREAM": uploads resume with APPE. */
#define FEATURES_APPE "\"features\":[\"EPSV\",\"MDTM\",\"PASV\",\"SIZE\",\"UTF8\"]"

typedef struct
{
  char            *tmpdir;
  char            *remote;   /* what the server serves */
  char            *local;    /* the folder the user chose */
  FerryTestServer *server;
  FerrySite       *site;
  FerryTransfer   *transfer;
  GError          *error;
  gboolean         done;
  gboolean         ok;
  gboolean         stop_requested;
  gint64           stop_at;
  gboolean         stop_cancels;
} Fixture;

/* --- fixture ------------------------------------------------------------ */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->tmpdir = ferry_test_make_tmpdir ();
  f->remote = g_build_filename (f->tmpdir, "remote", NULL);
  f->local = g_build_filename (f->tmpdir, "local", NULL);
  g_assert_cmpint (g_mkdir (f->remote, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (f->local, 0755), ==, 0);
}

static void
weak_notify_cb (gpointer  data,
                GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

/* Drops the test's reference and waits until the transfer is really gone:
 * a try that lives on after the transfer stopped would be a leak, or worse
 * a callback that could still touch the file. */
static void
release_transfer (Fixture *f)
{
  gboolean finalized = FALSE;

  if (f->transfer == NULL)
    return;

  g_object_weak_ref (G_OBJECT (f->transfer), weak_notify_cb, &finalized);
  g_clear_object (&f->transfer);
  ferry_test_wait_for (&finalized, 10);
}

static void
assert_dir_is (const char *dir,
               ...) G_GNUC_NULL_TERMINATED;

/* The folder holds exactly the names given. */
static void
assert_dir_is (const char *dir,
               ...)
{
  g_autoptr(GPtrArray) expected = g_ptr_array_new ();
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_found = 0;
  va_list args;

  va_start (args, dir);
  while ((name = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer) name);
  va_end (args);

  handle = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      gboolean known = FALSE;

      for (guint i = 0; i < expected->len; i++)
        known = known || g_str_equal (name, expected->pdata[i]);
      if (!known)
        g_error ("%s holds the unexpected file \"%s\"", dir, name);
      n_found++;
    }
  g_assert_cmpuint (n_found, ==, expected->len);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  release_transfer (f);

  /* Nothing was written outside the two folders. */
  if (!g_test_failed () && f->server != NULL)
    assert_dir_is (f->tmpdir, "local", "remote", NULL);

  g_clear_object (&f->site);
  g_clear_pointer (&f->server, ferry_test_server_stop);
  ferry_test_rm_rf (f->tmpdir);
  g_clear_pointer (&f->tmpdir, g_free);
  g_clear_pointer (&f->remote, g_free);
  g_clear_pointer (&f->local, g_free);
  g_clear_error (&f->error);
}

/* Starts the fault server with @script; FALSE (and the test skipped) where
 * it cannot run. */
static gboolean
start_server (Fixture    *f,
              const char *script)
{
  f->server = ferry_test_server_start_or_skip (FERRY_TEST_SERVER_FAULT, f->remote, script);
  if (f->server == NULL)
    return FALSE;

  f->site = ferry_test_server_new_site (f->server);
  return TRUE;
}

/* --- files -------------------------------------------------------------- */

static char *
remote_path (Fixture    *f,
             const char *name)
{
  return g_build_filename (f->remote, name, NULL);
}

static char *
local_path (Fixture    *f,
            const char *name)
{
  return g_build_filename (f->local, name, NULL);
}

static void
make_remote_file (Fixture    *f,
                  const char *name,
                  goffset     size,
                  guint32     seed)
{
  g_autofree char *path = remote_path (f, name);

  ferry_test_write_random_file (path, size, seed);
}

static void
make_local_file (Fixture    *f,
                 const char *name,
                 goffset     size,
                 guint32     seed)
{
  g_autofree char *path = local_path (f, name);

  ferry_test_write_random_file (path, size, seed);
}

static void
assert_same_file (const char *a,
                  const char *b)
{
  g_autofree char *sum_a = ferry_test_sha256_file (a);
  g_autofree char *sum_b = ferry_test_sha256_file (b);

  g_assert_nonnull (sum_a);
  g_assert_nonnull (sum_b);
  g_assert_cmpstr (sum_a, ==, sum_b);
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return -1;
  return st.st_size;
}

/* The remote file's time as MDTM gives it. */
static char *
remote_mtime (Fixture    *f,
              const char *name)
{
  g_autofree char *path = remote_path (f, name);
  g_autoptr(GDateTime) time = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  time = g_date_time_new_from_unix_utc (st.st_mtime);
  return g_date_time_format (time, "%Y%m%d%H%M%S");
}

/* The record Ferry keeps beside a partial download. */
static void
write_part_info (Fixture    *f,
                 const char *name,
                 gint64      size,
                 const char *mtime)
{
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strconcat (name, ".ferry-part.info", NULL);
  g_autofree char *path = local_path (f, file);
  g_autofree char *url = ferry_test_server_get_url (f->server, name);

  g_key_file_set_string (info, "Ferry Partial Download", "Source", url);
  g_key_file_set_int64 (info, "Ferry Partial Download", "Size", size);
  g_key_file_set_string (info, "Ferry Partial Download", "Modified", mtime ? mtime : "");
  g_key_file_save_to_file (info, path, &error);
  g_assert_no_error (error);
}

/* --- transfers ---------------------------------------------------------- */

static void
configure (FerryTransfer *transfer)
{
  ferry_transfer_set_retry_delays (transfer, 1, 1);
  ferry_transfer_set_timeouts (transfer, 5, 2);
}

static FerryTransfer *
new_download (Fixture    *f,
              const char *name)
{
  g_autofree char *remote = g_strconcat ("/", name, NULL);
  g_autofree char *path = local_path (f, name);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_null (f->transfer);
  f->transfer = ferry_transfer_new_download (f->site, remote, file);
  configure (f->transfer);
  return f->transfer;
}

static FerryTransfer *
new_upload (Fixture    *f,
            const char *name)
{
  g_autofree char *remote = g_strconcat ("/", name, NULL);
  g_autofree char *path = local_path (f, name);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_assert_null (f->transfer);
  f->transfer = ferry_transfer_new_upload (f->site, file, remote);
  configure (f->transfer);
  return f->transfer;
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *f = user_data;

  g_clear_error (&f->error);
  f->ok = ferry_transfer_run_finish (FERRY_TRANSFER (object), result, &f->error);
  f->done = TRUE;
}

/* Runs the transfer until it stops (done, failed, interrupted, paused or
 * cancelled); a hang fails the test after @seconds. */
static gboolean
run_for (Fixture *f,
         guint    seconds)
{
  f->done = FALSE;
  f->ok = FALSE;
  g_clear_error (&f->error);
  ferry_transfer_run_async (f->transfer, NULL, run_cb, f);
  ferry_test_wait_for (&f->done, seconds);
  /* The dialogue, for whoever reads a failure. */
  g_test_message ("the transfer stopped (%s):\n%s", f->error ? f->error->message : "done",
                  ferry_transfer_get_log (f->transfer));
  return f->ok;
}

static gboolean
run (Fixture *f)
{
  return run_for (f, WATCHDOG);
}

static void
assert_log_has (Fixture    *f,
                const char *needle)
{
  const char *log = ferry_transfer_get_log (f->transfer);

  if (strstr (log, needle) == NULL)
    g_error ("the transfer log lacks \"%s\":\n%s", needle, log);
}

static void
assert_log_lacks (Fixture    *f,
                  const char *needle)
{
  const char *log = ferry_transfer_get_log (f->transfer);

  if (strstr (log, needle) != NULL)
    g_error ("the transfer log should not say \"%s\":\n%s", needle, log);
}

/* DONE, and the local copy equals the remote file. */
static void
assert_download_done (Fixture    *f,
                      const char *name)
{
  g_autofree char *remote = remote_path (f, name);
  g_autofree char *local = local_path (f, name);

  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_DONE);
  assert_same_file (remote, local);
  assert_dir_is (f->local, name, NULL);
}

/* FAILED with the error given; no target file, at most the partial one. */
static void
assert_download_failed (Fixture *f,
                        GQuark   domain,
                        int      code)
{
  g_autofree char *target = local_path (f, FILE_NAME);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_assert_false (f->ok);
  g_assert_error (f->error, domain, code);
  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_FAILED);
  g_assert_error ((GError *) ferry_transfer_get_error (f->transfer), domain, code);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  dir = g_dir_open (f->local, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_assert_true (g_str_equal (name, FILE_NAME ".ferry-part") ||
                   g_str_equal (name, FILE_NAME ".ferry-part.info"));
}

static void
assert_upload_done (Fixture    *f,
                    const char *name)
{
  g_autofree char *remote = remote_path (f, name);
  g_autofree char *local = local_path (f, name);

  g_assert_no_error (f->error);
  g_assert_true (f->ok);
  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_DONE);
  assert_same_file (remote, local);
  assert_dir_is (f->remote, name, NULL);
  assert_dir_is (f->local, name, NULL);
}

/* --- the server's command log ------------------------------------------- */

/* The index of the @nth (1-based) logged command starting with @prefix,
 * or -1. */
static int
find_command (char      **commands,
              const char *prefix,
              guint       nth)
{
  for (guint i = 0; commands[i] != NULL; i++)
    if (g_str_has_prefix (commands[i], prefix) && --nth == 0)
      return i;
  return -1;
}

/* The command the server got right before the @nth @verb ("RETR "). */
static char *
command_before (Fixture    *f,
                const char *verb,
                guint       nth)
{
  g_auto(GStrv) commands = ferry_test_server_get_commands (f->server);
  int i = find_command (commands, verb, nth);

  if (i < 0)
    g_error ("the server never saw %u × %s", nth, verb);
  return g_strdup (i > 0 ? commands[i - 1] : "");
}

static void
assert_rest_before (Fixture    *f,
                    const char *verb,
                    guint       nth,
                    gint64      offset)
{
  g_autofree char *before = command_before (f, verb, nth);
  g_autofree char *expected = g_strdup_printf ("REST %" G_GINT64_FORMAT, offset);

  g_assert_cmpstr (before, ==, expected);
}

static void
assert_no_rest_before (Fixture    *f,
                       const char *verb,
                       guint       nth)
{
  g_autofree char *before = command_before (f, verb, nth);

  g_assert_false (g_str_has_prefix (before, "REST"));
}

static guint
count (Fixture    *f,
       const char *prefix)
{
  return ferry_test_server_count_commands (f->server, prefix);
}

/* --- download: the data connection breaks ------------------------------- */

/* One reset after RESET_AT bytes with the given final reply, then the
 * second try must re-read the 64 KiB before the offset. */
static void
download_reset_case (Fixture    *f,
                     const char *final_reply_json)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[{\"command\":\"RETR\",\"action\":\"reset_data\","
                     "\"after_bytes\":%d%s%s}]}",
                     RESET_AT, final_reply_json ? ",\"final_reply\":" : "",
                     final_reply_json ? final_reply_json : "");

  if (!start_server (f, script))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 1);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  g_assert_cmpuint (count (f, "RETR "), ==, 2);
  assert_no_rest_before (f, "RETR ", 1);
  /* PROTOCOL.md Resume: offset = bytes held; re-read the overlap before it. */
  assert_rest_before (f, "RETR ", 2, RESET_AT - OVERLAP);
  assert_log_has (f, "resuming at byte 100000");
}

static void
test_download_reset_426 (Fixture       *f,
                         gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: a data connection reset after N bytes and a 426 "
                  "resumes at byte N with REST N-64Ki, and the file is intact");
  download_reset_case (f, NULL);
}

static void
test_download_reset_silent (Fixture       *f,
                            gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: a reset with no final reply at all "
                  "is a lost transfer, resumed from the byte it stopped at");
  download_reset_case (f, "\"\"");
}

static void
test_download_reset_lying_226 (Fixture       *f,
                               gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: EOF alone is not success; a 226 "
                  "after a reset with fewer bytes than SIZE is not accepted as complete");
  download_reset_case (f, "\"226 Transfer complete.\"");
  if (g_test_failed () || f->transfer == NULL)
    return;
  g_assert_cmpint (ferry_transfer_get_total_size (f->transfer), ==, FILE_SIZE);
}

static void
test_download_lying_226_no_size (Fixture       *f,
                                 gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: without SIZE a reset followed by "
                  "a lying 226 is still a broken connection, not a complete file");

  if (!start_server (f, "{\"features\":[\"EPSV\",\"MDTM\",\"PASV\",\"UTF8\"],"
                        "\"faults\":[{\"command\":\"RETR\",\"action\":\"reset_data\","
                        "\"after_bytes\":100000,\"final_reply\":\"226 Transfer complete.\"}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 2);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (count (f, "RETR "), ==, 2);
  assert_rest_before (f, "RETR ", 2, RESET_AT - OVERLAP);
}

static void
test_download_drop (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: both connections dropped without a "
                  "reply mid-transfer → reconnect and resume from the bytes kept");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"drop\","
                        "\"after_bytes\":100000}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 3);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  assert_rest_before (f, "RETR ", 2, RESET_AT - OVERLAP);
}

static void
test_download_stall (Fixture       *f,
                     gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: a stall mid-transfer hits the inactivity "
                  "timeout, then the transfer reconnects and resumes");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"stall\","
                        "\"after_bytes\":200000}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 4);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  assert_rest_before (f, "RETR ", 2, 200000 - OVERLAP);
  assert_log_has (f, "No data moved for 2 seconds");
}

static void
test_download_stall_before_data (Fixture       *f,
                                 gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: 150 then silence is a timeout and a "
                  "retry, not a hang");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"stall\","
                        "\"after_bytes\":0}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 5);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  assert_no_rest_before (f, "RETR ", 2);
}

static void
test_download_no_reply_to_retr (Fixture       *f,
                                gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: a RETR that gets no reply and no data "
                  "times out and is retried");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"no_reply\"}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 6);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
}

typedef struct
{
  const char *command;
  guint       nth;
} CloseAt;

static const CloseAt close_at_size = { "SIZE", 1 };
static const CloseAt close_at_retr = { "RETR", 1 };
static const CloseAt close_at_connect = { "CONNECT", 1 };
static const CloseAt close_at_mdtm = { "MDTM", 1 };
static const CloseAt close_at_epsv = { "EPSV", 1 };

static void
test_download_421 (Fixture       *f,
                   gconstpointer  data)
{
  const CloseAt *at = data;
  g_autofree char *script = NULL;

  g_test_summary ("PROTOCOL.md Replies: 421 means the server is closing the control "
                  "connection, at any command: transient, reconnect and finish");

  script = g_strdup_printf ("{\"faults\":[{\"command\":\"%s\",\"nth\":%u,\"action\":\"close\","
                            "\"reply\":\"421 Too many users, try later\"}]}",
                            at->command, at->nth);
  if (!start_server (f, script))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 7);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  assert_log_has (f, "421 Too many users, try later");
}

/* --- download: odd reply order ------------------------------------------ */

static void
download_clean_case (Fixture    *f,
                     const char *script,
                     guint32     seed)
{
  if (!start_server (f, script))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, seed);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
  g_assert_cmpuint (count (f, "RETR "), ==, 1);
}

static void
test_download_early_226 (Fixture       *f,
                         gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: the 226 may come before the data "
                  "EOF; complete only when both arrived");
  download_clean_case (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"early_226\"}]}", 8);
}

static void
test_download_coalesce (Fixture       *f,
                        gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: 150 and 226 may come in one segment");
  download_clean_case (f, "{\"faults\":[{\"command\":\"RETR\","
                          "\"action\":\"coalesce_150_226\"}]}", 9);
}

static void
test_download_skip_150 (Fixture       *f,
                        gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: some servers skip the 1yz reply");
  download_clean_case (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"skip_150\"}]}", 10);
}

static void
test_download_skip_150_slow (Fixture       *f,
                             gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: without a 1yz the final reply comes "
                  "only after the data, which may take longer than the reply timeout; "
                  "moving data is not a silent server");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"every\":true,"
                        "\"action\":\"skip_150\"},"
                        "{\"command\":\"RETR\",\"every\":true,\"action\":\"rate\","
                        "\"bytes_per_second\":300000}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 11);

  new_download (f, FILE_NAME);
  ferry_transfer_set_timeouts (f->transfer, 2, 2);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
}

static void
test_download_delay_final (Fixture       *f,
                           gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: the 226 may come a while after EOF");
  download_clean_case (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"delay_final\","
                          "\"seconds\":1}]}", 12);
}

static void
test_download_no_final_reply (Fixture       *f,
                              gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: all bytes and EOF but never a final "
                  "reply is not complete; the file is only presented after a later try");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"final_reply\","
                        "\"reply\":\"\"}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 13);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  /* The second try had everything: it re-read the overlap only. */
  assert_rest_before (f, "RETR ", 2, FILE_SIZE - OVERLAP);
}

/* --- download: passive mode --------------------------------------------- */

static void
test_download_epsv_refused (Fixture       *f,
                            gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: EPSV answered 5yz → fall back to PASV");
  download_clean_case (f, "{\"faults\":[{\"command\":\"EPSV\",\"every\":true,\"action\":\"reply\","
                          "\"reply\":\"502 EPSV not here\"}]}", 14);
  if (g_test_failed () || f->server == NULL)
    return;
  g_assert_cmpuint (count (f, "PASV"), ==, 1);
  g_assert_cmpstr (command_before (f, "RETR ", 1), ==, "PASV");
}

static void
test_download_pasv_private_address (Fixture       *f,
                                    gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: connect to the control connection's "
                  "peer, never to the address in the 227 (curl CVE-2020-8284)");
  download_clean_case (f, "{\"faults\":[{\"command\":\"EPSV\",\"every\":true,\"action\":\"reply\","
                          "\"reply\":\"502 EPSV not here\"},"
                          "{\"command\":\"PASV\",\"every\":true,\"action\":\"pasv_address\","
                          "\"address\":\"10.99.99.99\"}]}", 15);
  if (g_test_failed () || f->server == NULL)
    return;
  /* It did receive the private address, and still got the file at once (a
   * connection to 10.99.99.99 would have timed out and made a second try). */
  assert_log_has (f, "(10,99,99,99,");
}

static void
test_download_pasv_bad_octet (Fixture       *f,
                              gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: reject octets > 255 → a clear "
                  "BAD_REPLY error, no crash, no file");

  if (!start_server (f, "{\"faults\":[{\"command\":\"EPSV\",\"every\":true,\"action\":\"reply\","
                        "\"reply\":\"502 EPSV not here\"},"
                        "{\"command\":\"PASV\",\"every\":true,\"action\":\"reply\","
                        "\"reply\":\"227 Entering Passive Mode (127,0,0,300,4,1)\"}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 16);

  new_download (f, FILE_NAME);
  ferry_transfer_set_retry_limit (f->transfer, 1);
  run (f);

  assert_download_failed (f, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  g_assert_cmpuint (count (f, "RETR"), ==, 0);
  g_assert_cmpuint (count (f, "PASV"), ==, 2);
}

static void
test_download_epsv_bad_port (Fixture       *f,
                             gconstpointer  data)
{
  const char *reply = data;
  g_autofree char *script = NULL;

  g_test_summary ("PROTOCOL.md Passive data channel: EPSV naming port 0 or > 65535 is "
                  "unusable; Ferry falls back to PASV and the download works");

  script = g_strdup_printf ("{\"faults\":[{\"command\":\"EPSV\",\"every\":true,"
                            "\"action\":\"reply\",\"reply\":\"%s\"}]}", reply);
  download_clean_case (f, script, 17);
  if (g_test_failed () || f->server == NULL)
    return;
  g_assert_cmpuint (count (f, "EPSV"), ==, 1);
  g_assert_cmpstr (command_before (f, "RETR ", 1), ==, "PASV");
}

/* --- download: small files ----------------------------------------------- */

#define SMALL_SIZE 100000

static void
test_download_small_reset (Fixture       *f,
                           gconstpointer  data)
{
  g_test_summary ("A file of at most 256 KiB is held in memory and fetched whole again "
                  "after a reset: no REST, no MDTM, no record, nothing on disk but the file");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"reset_data\","
                        "\"after_bytes\":50000,\"final_reply\":\"426 Connection reset.\"}]}"))
    return;
  make_remote_file (f, FILE_NAME, SMALL_SIZE, 41);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  g_assert_cmpuint (count (f, "RETR "), ==, 2);
  g_assert_cmpuint (count (f, "REST "), ==, 0);
  g_assert_cmpuint (count (f, "MDTM "), ==, 0);
}

static void
test_download_small_stale_part (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *part = local_path (f, FILE_NAME ".ferry-part");

  g_test_summary ("A small file's part and record from an earlier run are replaced, not "
                  "resumed, and nothing of them is left");

  if (!start_server (f, NULL))
    return;
  make_remote_file (f, FILE_NAME, SMALL_SIZE, 42);
  ferry_test_write_random_file (part, 60000, 43);
  write_part_info (f, FILE_NAME, SMALL_SIZE, NULL);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (count (f, "REST "), ==, 0);
}

/* The listing's size for a small file: SIZE is skipped when the count
 * matches, asked when it does not; the result is right either way. */
static void
size_hint_case (Fixture    *f,
                const char *script,
                gint64      hint,
                guint       n_size,
                guint       n_retr)
{
  if (!start_server (f, script))
    return;
  make_remote_file (f, FILE_NAME, SMALL_SIZE, 44);

  new_download (f, FILE_NAME);
  ferry_transfer_set_expected_size (f->transfer, hint);
  g_assert_cmpint (ferry_transfer_get_total_size (f->transfer), ==, hint);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpint (ferry_transfer_get_total_size (f->transfer), ==, SMALL_SIZE);
  g_assert_cmpuint (count (f, "SIZE "), ==, n_size);
  g_assert_cmpuint (count (f, "RETR "), ==, n_retr);
}

static void
test_download_size_hint_exact (Fixture       *f,
                               gconstpointer  data)
{
  g_test_summary ("A small file whose listed size is right needs no SIZE");
  size_hint_case (f, NULL, SMALL_SIZE, 0, 1);
}

static void
test_download_size_hint_grew (Fixture       *f,
                              gconstpointer  data)
{
  g_test_summary ("A file bigger than the listing said: more bytes than expected → "
                  "start over with SIZE");
  size_hint_case (f, NULL, SMALL_SIZE - 1000, 1, 2);
}

static void
test_download_size_hint_shrank (Fixture       *f,
                                gconstpointer  data)
{
  g_test_summary ("A file smaller than the listing said: the count is checked against "
                  "SIZE before it counts as complete");
  size_hint_case (f, NULL, SMALL_SIZE + 1000, 1, 1);
}

static void
test_download_size_hint_lying_226 (Fixture       *f,
                                   gconstpointer  data)
{
  g_test_summary ("A listed size and a reset followed by a lying 226: the short count "
                  "is not complete; fetched again (the reset alone says so, no SIZE needed)");
  size_hint_case (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"reset_data\","
                     "\"after_bytes\":50000,\"final_reply\":\"226 Transfer complete.\"}]}",
                  SMALL_SIZE, 0, 2);
}

/* --- download: SIZE and MDTM -------------------------------------------- */

static void
size_case (Fixture    *f,
           const char *faults,
           gboolean    with_size)
{
  g_autofree char *script =
    g_strdup_printf ("{%s\"faults\":[%s{\"command\":\"RETR\",\"action\":\"reset_data\","
                     "\"after_bytes\":100000}]}",
                     with_size ? "" : "\"features\":[\"EPSV\",\"MDTM\",\"PASV\",\"UTF8\"],",
                     faults);

  if (!start_server (f, script))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 18);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  assert_rest_before (f, "RETR ", 2, RESET_AT - OVERLAP);
  assert_log_has (f, "does not tell the size");
}

static void
test_download_no_size (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: without SIZE completeness is judged by EOF + 226; "
                  "a reset still resumes");
  size_case (f, "", FALSE);
}

static void
test_download_junk_size (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *faults =
    g_strdup_printf ("{\"command\":\"SIZE\",\"every\":true,\"action\":\"reply\","
                     "\"reply\":\"%s\"},", (const char *) data);

  g_test_summary ("PROTOCOL.md Resume: parse SIZE strictly; junk or overflow → size "
                  "unknown, and the download still works");
  size_case (f, faults, TRUE);
}

static void
mdtm_case (Fixture    *f,
           const char *script)
{
  if (!start_server (f, script))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 19);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  assert_rest_before (f, "RETR ", 2, RESET_AT - OVERLAP);
  assert_log_lacks (f, "Starting over");
}

static void
test_download_no_mdtm (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: without MDTM the size and the overlap decide");
  mdtm_case (f, "{\"features\":[\"EPSV\",\"PASV\",\"SIZE\",\"UTF8\"],"
                "\"faults\":[{\"command\":\"RETR\",\"action\":\"reset_data\","
                "\"after_bytes\":100000}]}");
}

static void
test_download_bad_mdtm (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[{\"command\":\"MDTM\",\"every\":true,\"action\":\"reply\","
                     "\"reply\":\"%s\"},{\"command\":\"RETR\",\"action\":\"reset_data\","
                     "\"after_bytes\":100000}]}", (const char *) data);

  g_test_summary ("PROTOCOL.md Hostile servers: malformed MDTM → ignore the time; the "
                  "download and its resume still work");
  mdtm_case (f, script);
}

/* --- download: REST refused --------------------------------------------- */

static void
test_download_rest_refused (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[{\"command\":\"REST\",\"every\":true,\"action\":\"reply\","
                     "\"reply\":\"%s\"},{\"command\":\"RETR\",\"action\":\"reset_data\","
                     "\"after_bytes\":100000}]}", (const char *) data);

  g_test_summary ("PROTOCOL.md Resume: REST answered 5yz → the server cannot resume; "
                  "fall back to a full transfer and say so");

  if (!start_server (f, script))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 20);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  assert_log_has (f, "REST refused");
  assert_log_has (f, "Starting over from the first byte: the server cannot resume");
  /* RETR twice, neither after a REST the server accepted. */
  g_assert_cmpuint (count (f, "RETR "), ==, 2);
  assert_no_rest_before (f, "RETR ", 1);
  assert_no_rest_before (f, "RETR ", 2);
}

static void
test_download_retr_refused_after_rest (Fixture       *f,
                                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: if the transfer command fails after a REST, "
                  "send REST again before the next one");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"reset_data\","
                        "\"after_bytes\":100000},{\"command\":\"RETR\",\"nth\":2,"
                        "\"action\":\"reply\",\"reply\":\"450 Busy, try later\"}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 36);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (count (f, "RETR "), ==, 3);
  assert_rest_before (f, "RETR ", 2, RESET_AT - OVERLAP);
  assert_rest_before (f, "RETR ", 3, RESET_AT - OVERLAP);
}

static void
test_download_rest_past_end (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *part = local_path (f, FILE_NAME ".ferry-part");

  g_test_summary ("PROTOCOL.md Resume: an out-of-range offset is reported on RETR, not "
                  "REST; without SIZE that is how a part bigger than the remote shows, "
                  "and the download starts over");

  if (!start_server (f, "{\"features\":[\"EPSV\",\"MDTM\",\"PASV\",\"UTF8\"]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 37);
  ferry_test_write_random_file (part, 2 * FILE_SIZE, 38);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  assert_rest_before (f, "RETR ", 1, 2 * FILE_SIZE - OVERLAP);
  assert_no_rest_before (f, "RETR ", 2);
  assert_log_has (f, "Starting over from the first byte");
}

static void
test_download_short_remote_no_size (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *part = local_path (f, FILE_NAME ".ferry-part");

  g_test_summary ("PROTOCOL.md Resume: local larger than remote → start over, also when "
                  "no SIZE tells it and the whole remote file fits in the overlap");

  if (!start_server (f, "{\"features\":[\"EPSV\",\"MDTM\",\"PASV\",\"UTF8\"]}"))
    return;
  make_remote_file (f, FILE_NAME, 30000, 39);
  ferry_test_write_random_file (part, 50000, 39);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  g_assert_cmpuint (count (f, "REST"), ==, 0);
  assert_log_has (f, "the remote file is shorter than the local part");
}

/* --- download: the remote file changes ---------------------------------- */

static void
changed_case (Fixture    *f,
              const char *modify,
              const char *reason)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[{\"command\":\"RETR\",\"action\":\"reset_data\","
                     "\"after_bytes\":100000},%s]}", modify);

  if (!start_server (f, script))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 21);

  new_download (f, FILE_NAME);
  run (f);

  /* The file equals the remote as it is now, not a mix of old and new. */
  assert_download_done (f, FILE_NAME);
  assert_log_has (f, "Starting over from the first byte");
  assert_log_has (f, reason);
  g_assert_cmpuint (count (f, "RETR "), >=, 2);
  assert_no_rest_before (f, "RETR ", count (f, "RETR "));
}

static void
test_download_changed_append_at_size (Fixture       *f,
                                      gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: SIZE recorded at the first try changed → start "
                  "over; the result is the new remote file");
  changed_case (f, "{\"command\":\"SIZE\",\"nth\":2,\"action\":\"modify_file\","
                   "\"append_bytes\":5000,\"seed\":3}", "its size changed");
}

static void
test_download_changed_append_at_retr (Fixture       *f,
                                      gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: the file grew while the resume was under way "
                  "(more bytes than SIZE) → start over with the new file");
  changed_case (f, "{\"command\":\"RETR\",\"nth\":2,\"action\":\"modify_file\","
                   "\"append_bytes\":5000,\"seed\":3}", "the remote file changed");
}

static void
test_download_changed_mtime (Fixture       *f,
                             gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: same size but a new MDTM → start over");
  changed_case (f, "{\"command\":\"SIZE\",\"nth\":2,\"action\":\"modify_file\","
                   "\"write_at\":[500000,\"new bytes\"],\"mtime\":1700000000}",
                "its modification time changed");
}

static void
test_download_changed_flip_in_overlap (Fixture       *f,
                                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: same size and time but other bytes before the "
                  "offset → the 64 KiB overlap check catches it and starts over");
  changed_case (f, "{\"command\":\"SIZE\",\"nth\":2,\"action\":\"modify_file\","
                   "\"flip\":[50000,99999],\"mtime\":\"keep\"}",
                "bytes before the resume point differ");
}

static void
test_download_part_bigger (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *part = local_path (f, FILE_NAME ".ferry-part");

  g_test_summary ("PROTOCOL.md Resume: local larger than remote → the remote changed; "
                  "start over");

  if (!start_server (f, NULL))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 22);
  ferry_test_write_random_file (part, 2 * FILE_SIZE, 23);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  assert_log_has (f, "the local part is bigger than the remote file");
  g_assert_cmpuint (count (f, "RETR "), ==, 1);
  assert_no_rest_before (f, "RETR ", 1);
}

static void
test_download_part_complete (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *remote = remote_path (f, FILE_NAME);
  g_autofree char *part = local_path (f, FILE_NAME ".ferry-part");
  g_autofree char *mtime = NULL;

  g_test_summary ("PROTOCOL.md Resume: offset == remote size → nothing to fetch beyond "
                  "the overlap; the part becomes the file");

  if (!start_server (f, NULL))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 24);
  ferry_test_write_random_file (part, FILE_SIZE, 24);
  mtime = remote_mtime (f, FILE_NAME);
  write_part_info (f, FILE_NAME, FILE_SIZE, mtime);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
  g_assert_cmpuint (count (f, "RETR "), ==, 1);
  assert_rest_before (f, "RETR ", 1, FILE_SIZE - OVERLAP);
  assert_log_lacks (f, "Starting over");
  (void) remote;
}

static void
test_download_part_resume_info (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *part = local_path (f, FILE_NAME ".ferry-part");
  g_autofree char *mtime = NULL;

  g_test_summary ("PROTOCOL.md Resume: a part left by an earlier run, with its record, "
                  "resumes at its size");

  if (!start_server (f, NULL))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 25);
  ferry_test_write_random_file (part, 300000, 25);
  mtime = remote_mtime (f, FILE_NAME);
  write_part_info (f, FILE_NAME, FILE_SIZE, mtime);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  assert_rest_before (f, "RETR ", 1, 300000 - OVERLAP);
}

#define HUGE_SIZE (G_GINT64_CONSTANT (5) * 1024 * 1024 * 1024)
#define HUGE_TAIL (1024 * 1024)

/* Reads @len bytes at @offset. */
static guint8 *
read_at (const char *path,
         goffset     offset,
         gsize       len)
{
  g_autofree guint8 *buffer = g_malloc (len);
  FILE *file = g_fopen (path, "rb");

  g_assert_nonnull (file);
  g_assert_cmpint (fseeko (file, offset, SEEK_SET), ==, 0);
  g_assert_cmpuint (fread (buffer, 1, len, file), ==, len);
  fclose (file);
  return g_steal_pointer (&buffer);
}

static void
test_download_huge_offset (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *remote = remote_path (f, "huge.bin");
  g_autofree char *tail = g_build_filename (f->tmpdir, "local", "tail", NULL);
  g_autofree char *part = local_path (f, "huge.bin.ferry-part");
  g_autofree char *local = local_path (f, "huge.bin");
  g_autofree guint8 *tail_bytes = NULL;
  g_autofree guint8 *a = NULL;
  g_autofree guint8 *b = NULL;
  g_autofree char *mtime = NULL;
  FILE *file;

  g_test_summary ("PROTOCOL.md Resume: offsets and sizes are 64-bit; resuming a 5 GiB "
                  "file past 4 GiB moves only the missing tail");

  if (!start_server (f, NULL))
    return;

  /* Sparse: zeros up to the last MiB, then random bytes. */
  ferry_test_write_random_file (tail, HUGE_TAIL, 26);
  tail_bytes = read_at (tail, 0, HUGE_TAIL);
  g_unlink (tail);
  file = g_fopen (remote, "wb");
  g_assert_nonnull (file);
  g_assert_cmpint (fseeko (file, HUGE_SIZE - HUGE_TAIL, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (tail_bytes, 1, HUGE_TAIL, file), ==, HUGE_TAIL);
  g_assert_cmpint (fclose (file), ==, 0);
  g_assert_cmpint (file_size (remote), ==, HUGE_SIZE);

  /* The part holds the first 5 GiB - 1 MiB: zeros, sparse as well. */
  file = g_fopen (part, "wb");
  g_assert_nonnull (file);
  g_assert_cmpint (fclose (file), ==, 0);
  if (truncate (part, HUGE_SIZE - HUGE_TAIL) != 0)
    {
      g_test_skip (g_strerror (errno));
      g_unlink (part);
      return;
    }
  mtime = remote_mtime (f, "huge.bin");
  write_part_info (f, "huge.bin", HUGE_SIZE, mtime);

  new_download (f, "huge.bin");
  run (f);

  g_assert_no_error (f->error);
  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_DONE);
  g_assert_cmpint (ferry_transfer_get_total_size (f->transfer), ==, HUGE_SIZE);
  assert_dir_is (f->local, "huge.bin", NULL);
  g_assert_cmpint (file_size (local), ==, HUGE_SIZE);
  a = read_at (local, HUGE_SIZE - 2 * HUGE_TAIL, 2 * HUGE_TAIL);
  b = read_at (remote, HUGE_SIZE - 2 * HUGE_TAIL, 2 * HUGE_TAIL);
  g_assert_cmpmem (a, 2 * HUGE_TAIL, b, 2 * HUGE_TAIL);
  g_assert_cmpuint (count (f, "RETR "), ==, 1);
  assert_rest_before (f, "RETR ", 1, HUGE_SIZE - HUGE_TAIL - OVERLAP);
  g_unlink (local);
  g_unlink (remote);
}

/* --- final errors ------------------------------------------------------- */

static void
test_download_login_denied (Fixture       *f,
                            gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Retry: 530 (login) is final, never retried");

  if (!start_server (f, NULL))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 27);
  ferry_site_set_password (f->site, "wrong");

  new_download (f, FILE_NAME);
  run (f);

  assert_download_failed (f, FERRY_FTP_ERROR, FERRY_FTP_ERROR_LOGIN_DENIED);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
  g_assert_cmpuint (count (f, "PASS"), ==, 1);
  assert_dir_is (f->local, NULL);
}

static void
test_download_not_found (Fixture       *f,
                         gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Retry: 550 (no such file) is final, never retried");

  if (!start_server (f, NULL))
    return;

  new_download (f, FILE_NAME);
  run (f);

  assert_download_failed (f, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
  g_assert_cmpuint (count (f, "USER"), ==, 1);
  g_assert_nonnull (strstr (f->error->message, "550"));
}

static void
test_download_retr_550 (Fixture       *f,
                        gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Retry: a 550 to RETR (no SIZE to tell first) is final");

  if (!start_server (f, "{\"features\":[\"EPSV\",\"PASV\",\"UTF8\"]}"))
    return;

  new_download (f, FILE_NAME);
  run (f);

  assert_download_failed (f, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
  g_assert_cmpuint (count (f, "RETR "), ==, 1);
}

static void
test_download_transient_gives_up (Fixture       *f,
                                  gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Retry: 4yz is transient, but a try that never moves a "
                  "byte counts against the retry limit");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"every\":true,"
                        "\"action\":\"reply\",\"reply\":\"450 Busy, try later\"}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 28);

  new_download (f, FILE_NAME);
  ferry_transfer_set_retry_limit (f->transfer, 2);
  run (f);

  assert_download_failed (f, FERRY_FTP_ERROR, FERRY_FTP_ERROR_TRANSIENT);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 3);
  g_assert_cmpuint (count (f, "RETR "), ==, 3);
}

/* --- hashes ------------------------------------------------------------- */

static void
test_download_hash (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *script =
    g_strdup_printf ("{\"features\":[\"EPSV\",\"MDTM\",\"PASV\",\"SIZE\",\"UTF8\",\"%s\"],"
                     "\"faults\":[{\"command\":\"RETR\",\"action\":\"reset_data\","
                     "\"after_bytes\":100000}]}", (const char *) data);

  g_test_summary ("PROTOCOL.md Resume: where the server offers a hash command, use it "
                  "to verify the finished (resumed) file");

  if (!start_server (f, script))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 29);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_done (f, FILE_NAME);
  assert_log_has (f, "Hash checked: ");
}

static void
test_download_hash_mismatch (Fixture       *f,
                             gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: a finished file whose hash differs is not kept");

  if (!start_server (f, "{\"features\":[\"EPSV\",\"MDTM\",\"PASV\",\"SIZE\",\"XSHA256\"],"
                        "\"faults\":[{\"command\":\"XSHA256\",\"every\":true,"
                        "\"action\":\"reply\",\"reply\":\"213 "
                        "0000000000000000000000000000000000000000000000000000000000000000\"}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 30);

  new_download (f, FILE_NAME);
  run (f);

  assert_download_failed (f, FERRY_FTP_ERROR, FERRY_FTP_ERROR_VERIFY_FAILED);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
  assert_log_has (f, "The hash differs");
  /* The bad copy is gone entirely. */
  assert_dir_is (f->local, NULL);
}

/* --- resume off, pause, cancel ------------------------------------------ */

static void
test_download_interrupted (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *part = local_path (f, FILE_NAME ".ferry-part");

  g_test_summary ("PROTOCOL.md Retry: with resume-on-reconnect off a reset interrupts "
                  "the transfer with its bytes kept; running it again resumes");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"reset_data\","
                        "\"after_bytes\":100000}]}"))
    return;
  make_remote_file (f, FILE_NAME, FILE_SIZE, 31);

  new_download (f, FILE_NAME);
  ferry_transfer_set_resume_on_reconnect (f->transfer, FALSE);
  run (f);

  g_assert_false (f->ok);
  g_assert_true (ferry_ftp_error_is_transient (f->error));
  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_INTERRUPTED);
  g_assert_true (ferry_transfer_can_resume (f->transfer));
  g_assert_cmpint (file_size (part), ==, RESET_AT);
  assert_dir_is (f->local, FILE_NAME ".ferry-part", FILE_NAME ".ferry-part.info", NULL);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);

  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  assert_rest_before (f, "RETR ", 2, RESET_AT - OVERLAP);
}

static gboolean
stop_idle_cb (gpointer user_data)
{
  Fixture *f = user_data;

  if (f->stop_cancels)
    ferry_transfer_cancel (f->transfer);
  else
    ferry_transfer_pause (f->transfer);
  return G_SOURCE_REMOVE;
}

/* Pauses (or cancels) once @stop_at bytes are in, while data moves. */
static void
bytes_done_cb (FerryTransfer *transfer,
               GParamSpec    *pspec,
               Fixture       *f)
{
  if (f->stop_requested ||
      ferry_transfer_get_state (transfer) != FERRY_TRANSFER_TRANSFERRING ||
      ferry_transfer_get_bytes_done (transfer) < f->stop_at)
    return;

  f->stop_requested = TRUE;
  g_idle_add (stop_idle_cb, f);
}

static void
test_download_pause (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *part = local_path (f, FILE_NAME ".ferry-part");
  gulong handler;
  goffset kept;

  g_test_summary ("Pausing keeps the partial file; resuming continues from its bytes "
                  "(PROTOCOL.md Resume: offset = bytes held locally)");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"rate\","
                        "\"bytes_per_second\":500000}]}"))
    return;
  make_remote_file (f, FILE_NAME, 4 * FILE_SIZE, 32);

  new_download (f, FILE_NAME);
  f->stop_at = 300000;
  handler = g_signal_connect (f->transfer, "notify::bytes-done", G_CALLBACK (bytes_done_cb), f);
  run (f);
  g_signal_handler_disconnect (f->transfer, handler);

  g_assert_false (f->ok);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_PAUSED);
  kept = file_size (part);
  g_assert_cmpint (kept, >=, 300000);
  g_assert_cmpint (kept, <, 4 * FILE_SIZE);
  assert_dir_is (f->local, FILE_NAME ".ferry-part", FILE_NAME ".ferry-part.info", NULL);

  run (f);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (count (f, "RETR "), ==, 2);
  assert_rest_before (f, "RETR ", 2, kept - OVERLAP);
}

/* Pauses once @stop_at bytes are in, and resumes at once. */
static void
pause_resume_cb (FerryTransfer *transfer,
                 GParamSpec    *pspec,
                 Fixture       *f)
{
  if (ferry_transfer_get_state (transfer) != FERRY_TRANSFER_TRANSFERRING ||
      ferry_transfer_get_bytes_done (transfer) < f->stop_at)
    return;

  f->stop_at += 2 * FILE_SIZE;
  ferry_transfer_pause (transfer);
  ferry_transfer_resume (transfer);
}

static void
test_download_pause_resume_at_once (Fixture       *f,
                                    gconstpointer  data)
{
  gulong handler;

  g_test_summary ("Paused and resumed at once, again and again, while the pump writes: "
                  "each try starts from the bytes really on disk, and the file ends whole");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"every\":true,\"action\":\"rate\","
                        "\"bytes_per_second\":8000000}]}"))
    return;
  make_remote_file (f, FILE_NAME, 12 * FILE_SIZE, 49);

  new_download (f, FILE_NAME);
  f->stop_at = FILE_SIZE;
  handler = g_signal_connect (f->transfer, "notify::bytes-done", G_CALLBACK (pause_resume_cb), f);
  /* Each pause ends a run (PAUSED); the resume right after it goes on. */
  for (guint i = 0; i < 10 && !run (f); i++)
    g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_signal_handler_disconnect (f->transfer, handler);

  assert_download_done (f, FILE_NAME);
  g_assert_cmpuint (count (f, "RETR "), >=, 4);
}

static void
test_download_local_write_fails (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *part = local_path (f, FILE_NAME ".ferry-part");
  struct rlimit old_limit, limit;
  void (*old_handler) (int);

  g_test_summary ("The local file cannot grow (a full disk, a size limit) in the middle "
                  "of the data: the download fails with a local error, the part file "
                  "keeps what was written and the target never appears");

  if (!start_server (f, NULL))
    return;
  make_remote_file (f, FILE_NAME, 4 * FILE_SIZE, 50);

  /* This process's files stop at 2 MiB: write(2) fails with EFBIG.  The
   * server started before, without the limit. */
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  limit = old_limit;
  limit.rlim_cur = 2 * FILE_SIZE;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

  new_download (f, FILE_NAME);
  run (f);

  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  signal (SIGXFSZ, old_handler);

  assert_download_failed (f, FERRY_FTP_ERROR, FERRY_FTP_ERROR_LOCAL);
  g_assert_nonnull (strstr (f->error->message, "cannot write the file"));
  g_assert_cmpint (file_size (part), >, 0);
  g_assert_cmpint (file_size (part), <=, 2 * FILE_SIZE);
  /* Not a connection problem: no second try. */
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
}

static void
test_download_cancel (Fixture       *f,
                      gconstpointer  data)
{
  gulong handler;

  g_test_summary ("Cancelling a download removes its partial file and record");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"action\":\"rate\","
                        "\"bytes_per_second\":500000}]}"))
    return;
  make_remote_file (f, FILE_NAME, 4 * FILE_SIZE, 33);

  new_download (f, FILE_NAME);
  f->stop_at = 300000;
  f->stop_cancels = TRUE;
  handler = g_signal_connect (f->transfer, "notify::bytes-done", G_CALLBACK (bytes_done_cb), f);
  run (f);
  g_signal_handler_disconnect (f->transfer, handler);

  g_assert_false (f->ok);
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_CANCELLED);
  release_transfer (f);
  assert_dir_is (f->local, NULL);
}

/* --- many disconnections ------------------------------------------------ */

#define BIG_SIZE (64 * 1024 * 1024)

static void
test_download_random_resets (Fixture       *f,
                             gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: 20 random disconnections during a 64 MiB "
                  "download; every try resumes and the file is intact");

  if (!start_server (f, "{\"faults\":[{\"command\":\"RETR\",\"every\":true,\"times\":20,"
                        "\"action\":\"reset_data\",\"random_after_bytes\":[200000,2500000],"
                        "\"seed\":7}]}"))
    return;
  make_remote_file (f, "big.bin", BIG_SIZE, 34);

  new_download (f, "big.bin");
  run_for (f, 120);

  assert_download_done (f, "big.bin");
  g_assert_cmpuint (count (f, "RETR "), >=, 21);
  g_assert_cmpuint (count (f, "REST "), >=, 20);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 21);
}

static void
test_upload_random_resets (Fixture       *f,
                           gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: 20 random disconnections during a 64 MiB "
                  "upload; every try resumes and the remote file is intact");

  if (!start_server (f, "{\"faults\":[{\"command\":\"STOR\",\"every\":true,\"times\":20,"
                        "\"action\":\"reset_data\",\"random_after_bytes\":[200000,2500000],"
                        "\"seed\":8}]}"))
    return;
  make_local_file (f, "big.bin", BIG_SIZE, 35);

  new_upload (f, "big.bin");
  run_for (f, 120);

  assert_upload_done (f, "big.bin");
  g_assert_cmpuint (count (f, "STOR "), >=, 21);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 21);
}

/* --- uploads ------------------------------------------------------------ */

/* A small file is read whole before it is sent; a reset still resumes
 * from the server's size (after the tail check), from memory. */
static void
test_upload_small_reset (Fixture       *f,
                         gconstpointer  data)
{
  g_test_summary ("A file of at most 256 KiB is sent from memory; after a reset the "
                  "next try appends from the server's size, checked as for big files");

  if (!start_server (f, "{" FEATURES_APPE ",\"faults\":[{\"command\":\"STOR\","
                        "\"action\":\"reset_data\",\"after_bytes\":50000}]}"))
    return;
  make_local_file (f, FILE_NAME, SMALL_SIZE, 45);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  g_assert_cmpuint (count (f, "STOR "), ==, 1);
  g_assert_cmpuint (count (f, "APPE "), ==, 1);
  assert_log_has (f, "resuming the upload at byte 50000");
}

static void
test_upload_small_lying_226 (Fixture       *f,
                             gconstpointer  data)
{
  g_test_summary ("A small upload cut short behind a lying 226: SIZE after the upload "
                  "shows it, and the next try completes it");

  if (!start_server (f, "{" FEATURES_APPE ",\"faults\":[{\"command\":\"STOR\","
                        "\"action\":\"reset_data\",\"after_bytes\":50000,"
                        "\"final_reply\":\"226 Transfer complete.\"}]}"))
    return;
  make_local_file (f, FILE_NAME, SMALL_SIZE, 46);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
}

static void
test_upload_remote_absent (Fixture       *f,
                           gconstpointer  data)
{
  g_auto(GStrv) commands = NULL;

  g_test_summary ("An upload told that nothing is there (its folder was just made) "
                  "skips SIZE before STOR; SIZE after it still checks the result");

  if (!start_server (f, NULL))
    return;
  make_local_file (f, FILE_NAME, SMALL_SIZE, 47);

  new_upload (f, FILE_NAME);
  ferry_transfer_set_remote_absent (f->transfer);
  run (f);

  assert_upload_done (f, FILE_NAME);
  commands = ferry_test_server_get_commands (f->server);
  g_assert_cmpuint (count (f, "SIZE "), ==, 1);
  g_assert_cmpint (find_command (commands, "SIZE ", 1), >, find_command (commands, "STOR ", 1));
}

static void
test_upload_remote_absent_reset (Fixture       *f,
                                 gconstpointer  data)
{
  g_test_summary ("The hint holds for the first try only: after a reset the next try "
                  "asks SIZE and resumes");

  if (!start_server (f, "{" FEATURES_APPE ",\"faults\":[{\"command\":\"STOR\","
                        "\"action\":\"reset_data\",\"after_bytes\":" G_STRINGIFY (RESET_AT) "}]}"))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 48);

  new_upload (f, FILE_NAME);
  ferry_transfer_set_remote_absent (f->transfer);
  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  g_assert_cmpuint (count (f, "APPE "), ==, 1);
  assert_log_has (f, "resuming the upload at byte 100000");
}

static void
upload_reset_case (Fixture    *f,
                   const char *script,
                   gboolean    rest_stream)
{
  if (!start_server (f, script))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 40);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  /* The remote tail was compared before appending: REST + RETR of the
   * 64 KiB before the remote size. */
  assert_rest_before (f, "RETR ", 1, RESET_AT - OVERLAP);
  if (rest_stream)
    {
      g_assert_cmpuint (count (f, "APPE"), ==, 0);
      g_assert_cmpuint (count (f, "STOR "), ==, 2);
      assert_rest_before (f, "STOR ", 2, RESET_AT);
    }
  else
    {
      g_assert_cmpuint (count (f, "STOR "), ==, 1);
      g_assert_cmpuint (count (f, "APPE "), ==, 1);
      assert_no_rest_before (f, "APPE ", 1);
    }
  assert_log_has (f, "resuming the upload at byte 100000");
}

static void
test_upload_appe (Fixture       *f,
                  gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: without REST STREAM in FEAT an upload resumes "
                  "with APPE at the remote size");
  upload_reset_case (f, "{" FEATURES_APPE ",\"faults\":[{\"command\":\"STOR\","
                        "\"action\":\"reset_data\",\"after_bytes\":100000}]}", FALSE);
}

static void
test_upload_rest_stor (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: with REST STREAM in FEAT an upload resumes with "
                  "REST n + STOR");
  upload_reset_case (f, "{\"faults\":[{\"command\":\"STOR\",\"action\":\"reset_data\","
                        "\"after_bytes\":100000}]}", TRUE);
}

static void
test_upload_reset_silent (Fixture       *f,
                          gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: an upload reset with no final "
                  "reply resumes");
  upload_reset_case (f, "{\"faults\":[{\"command\":\"STOR\",\"action\":\"reset_data\","
                        "\"after_bytes\":100000,\"final_reply\":\"\"}]}", TRUE);
}

static void
test_upload_reset_lying_226 (Fixture       *f,
                             gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: a 226 after a reset during STOR is "
                  "not taken for a complete upload");
  upload_reset_case (f, "{\"faults\":[{\"command\":\"STOR\",\"action\":\"reset_data\","
                        "\"after_bytes\":100000,\"final_reply\":\"226 Transfer complete.\"}]}",
                     TRUE);
}

static void
test_upload_drop (Fixture       *f,
                  gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: both connections dropped during STOR → "
                  "reconnect and append the rest");
  upload_reset_case (f, "{" FEATURES_APPE ",\"faults\":[{\"command\":\"STOR\","
                        "\"action\":\"drop\",\"after_bytes\":100000}]}", FALSE);
}

static void
test_upload_stall (Fixture       *f,
                   gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: the server stops reading mid-upload → "
                  "inactivity timeout, reconnect, resume");

  if (!start_server (f, "{\"faults\":[{\"command\":\"STOR\",\"action\":\"stall\","
                        "\"after_bytes\":100000}]}"))
    return;
  make_local_file (f, FILE_NAME, 16 * FILE_SIZE, 41);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  assert_rest_before (f, "STOR ", 2, RESET_AT);
}

static void
test_upload_421 (Fixture       *f,
                 gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Replies: 421 at STOR → transient; reconnect and upload");

  if (!start_server (f, "{\"faults\":[{\"command\":\"STOR\",\"action\":\"close\"}]}"))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 42);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
}

static void
upload_clean_case (Fixture    *f,
                   const char *script)
{
  if (!start_server (f, script))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 43);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
}

static void
test_upload_early_226 (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: a 226 before the data is sent does "
                  "not end the upload early");
  upload_clean_case (f, "{\"faults\":[{\"command\":\"STOR\",\"action\":\"early_226\"}]}");
}

static void
test_upload_coalesce (Fixture       *f,
                      gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: 150 and 226 in one segment on STOR");
  upload_clean_case (f, "{\"faults\":[{\"command\":\"STOR\","
                        "\"action\":\"coalesce_150_226\"}]}");
}

static void
test_upload_epsv_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: EPSV refused → PASV, at the "
                  "control peer even when the 227 names another host");
  upload_clean_case (f, "{\"faults\":[{\"command\":\"EPSV\",\"every\":true,\"action\":\"reply\","
                        "\"reply\":\"500 What?\"},"
                        "{\"command\":\"PASV\",\"every\":true,\"action\":\"pasv_address\","
                        "\"address\":\"10.99.99.99\"}]}");
}

static void
test_upload_rest_refused (Fixture       *f,
                          gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: REST answered 5yz on an upload → upload the whole "
                  "file again and say so");

  if (!start_server (f, "{\"faults\":[{\"command\":\"REST\",\"every\":true,\"action\":\"reply\","
                        "\"reply\":\"502 No REST\"},{\"command\":\"STOR\","
                        "\"action\":\"reset_data\",\"after_bytes\":100000}]}"))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 44);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  assert_log_has (f, "REST refused");
  g_assert_cmpuint (count (f, "APPE"), ==, 0);
  g_assert_cmpuint (count (f, "STOR "), ==, 2);
}

static void
test_upload_remote_bigger (Fixture       *f,
                           gconstpointer  data)
{
  FerryConflict conflict = GPOINTER_TO_INT (data);
  g_autofree char *remote = remote_path (f, FILE_NAME);
  g_autofree char *before = NULL;

  g_test_summary ("PROTOCOL.md Resume: remote larger than local is not ours to append "
                  "to: fail with REMOTE_CHANGED, or start over when asked to");

  if (!start_server (f, NULL))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 45);
  make_remote_file (f, FILE_NAME, 2 * FILE_SIZE, 46);
  before = ferry_test_sha256_file (remote);

  new_upload (f, FILE_NAME);
  ferry_transfer_set_conflict (f->transfer, conflict);
  run (f);

  if (conflict == FERRY_CONFLICT_FAIL)
    {
      g_autofree char *after = ferry_test_sha256_file (remote);

      g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_REMOTE_CHANGED);
      g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_FAILED);
      g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
      /* Left as it was. */
      g_assert_cmpstr (after, ==, before);
      g_assert_cmpuint (count (f, "STOR"), ==, 0);
      g_assert_cmpuint (count (f, "APPE"), ==, 0);
    }
  else
    {
      assert_upload_done (f, FILE_NAME);
      assert_log_has (f, "Uploading again from the first byte");
      g_assert_cmpuint (count (f, "STOR "), ==, 1);
      assert_no_rest_before (f, "STOR ", 1);
    }
}

static void
test_upload_remote_not_ours (Fixture       *f,
                             gconstpointer  data)
{
  FerryConflict conflict = GPOINTER_TO_INT (data);
  g_autofree char *remote = remote_path (f, FILE_NAME);

  g_test_summary ("PROTOCOL.md Resume: a remote prefix that is not our data (changed "
                  "between tries) is never appended to blindly");

  if (!start_server (f, "{\"faults\":[{\"command\":\"STOR\",\"action\":\"reset_data\","
                        "\"after_bytes\":100000},"
                        "{\"command\":\"SIZE\",\"nth\":2,\"action\":\"modify_file\","
                        "\"flip\":[60000]}]}"))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 47);

  new_upload (f, FILE_NAME);
  ferry_transfer_set_conflict (f->transfer, conflict);
  run (f);

  assert_log_has (f, "does not end with the same bytes");
  if (conflict == FERRY_CONFLICT_FAIL)
    {
      g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_REMOTE_CHANGED);
      g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_FAILED);
      g_assert_cmpuint (count (f, "STOR "), ==, 1);
      g_assert_cmpuint (count (f, "APPE"), ==, 0);
      /* Not appended to: still the bytes of the first try, flipped. */
      g_assert_cmpint (file_size (remote), ==, RESET_AT);
    }
  else
    {
      assert_upload_done (f, FILE_NAME);
      g_assert_cmpuint (count (f, "STOR "), ==, 2);
      assert_no_rest_before (f, "STOR ", 2);
    }
}

static void
test_upload_size_mismatch (Fixture       *f,
                           gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: after an upload SIZE must equal the local size; "
                  "a mismatch is an incomplete upload, checked again on the next try");

  /* SIZE 1 is the size before the upload, SIZE 2 the check after it. */
  if (!start_server (f, "{\"faults\":[{\"command\":\"SIZE\",\"nth\":2,\"action\":\"reply\","
                        "\"reply\":\"213 12345\"}]}"))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 48);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 2);
  assert_log_has (f, "After the upload the server has 12345 of 1048576 bytes");
  /* The second try found everything there: compared the tail, sent nothing. */
  g_assert_cmpuint (count (f, "STOR "), ==, 1);
  g_assert_cmpuint (count (f, "APPE"), ==, 0);
}

static void
test_upload_hash (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *script =
    g_strdup_printf ("{\"features\":[\"EPSV\",\"MDTM\",\"PASV\",\"REST STREAM\",\"SIZE\","
                     "\"UTF8\",\"%s\"],\"faults\":[{\"command\":\"STOR\","
                     "\"action\":\"reset_data\",\"after_bytes\":100000}]}",
                     (const char *) data);

  g_test_summary ("PROTOCOL.md Resume: where the server offers a hash command, use it "
                  "to verify the finished (resumed) upload");

  if (!start_server (f, script))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 49);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  assert_log_has (f, "Hash checked: ");
}

static void
test_upload_no_space (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[{\"command\":\"STOR\",\"every\":true,\"action\":\"reply\","
                     "\"reply\":\"%s\"}]}", (const char *) data);

  g_test_summary ("PROTOCOL.md Retry: 552/452 (disk full) are final, never retried");

  if (!start_server (f, script))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 50);

  new_upload (f, FILE_NAME);
  run (f);

  g_assert_false (f->ok);
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NO_SPACE);
  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_FAILED);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
  g_assert_cmpuint (count (f, "STOR "), ==, 1);
  assert_dir_is (f->local, FILE_NAME, NULL);
}

static void
test_upload_login_denied (Fixture       *f,
                          gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Retry: 530 (login) is final for uploads too");

  if (!start_server (f, NULL))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 51);
  ferry_site_set_password (f->site, "wrong");

  new_upload (f, FILE_NAME);
  run (f);

  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_LOGIN_DENIED);
  g_assert_cmpuint (ferry_transfer_get_attempt (f->transfer), ==, 1);
  assert_dir_is (f->remote, NULL);
}

static void
test_upload_interrupted (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *remote = remote_path (f, FILE_NAME);

  g_test_summary ("PROTOCOL.md Retry: with resume-on-reconnect off an upload reset "
                  "interrupts; running it again appends the rest");

  if (!start_server (f, "{" FEATURES_APPE ",\"faults\":[{\"command\":\"STOR\","
                        "\"action\":\"reset_data\",\"after_bytes\":100000}]}"))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 52);

  new_upload (f, FILE_NAME);
  ferry_transfer_set_resume_on_reconnect (f->transfer, FALSE);
  run (f);

  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_INTERRUPTED);
  g_assert_true (ferry_ftp_error_is_transient (f->error));
  g_assert_cmpint (file_size (remote), ==, RESET_AT);

  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (count (f, "APPE "), ==, 1);
}

static void
test_upload_pause (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *remote = remote_path (f, FILE_NAME);
  gulong handler;

  g_test_summary ("Pausing an upload keeps what the server has; resuming appends the rest");

  if (!start_server (f, "{\"faults\":[{\"command\":\"STOR\",\"action\":\"rate\","
                        "\"bytes_per_second\":500000}]}"))
    return;
  make_local_file (f, FILE_NAME, 4 * FILE_SIZE, 53);

  new_upload (f, FILE_NAME);
  f->stop_at = 300000;
  handler = g_signal_connect (f->transfer, "notify::bytes-done", G_CALLBACK (bytes_done_cb), f);
  run (f);
  g_signal_handler_disconnect (f->transfer, handler);

  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ferry_transfer_get_state (f->transfer), ==, FERRY_TRANSFER_PAUSED);
  g_assert_cmpint (file_size (remote), >, 0);

  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (count (f, "STOR "), ==, 2);
  g_assert_cmpuint (count (f, "REST "), >=, 2);
}

static void
test_upload_already_there (Fixture       *f,
                           gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Resume: remote offset == local size → compare the tail, "
                  "send nothing, done");

  if (!start_server (f, NULL))
    return;
  make_local_file (f, FILE_NAME, FILE_SIZE, 54);
  make_remote_file (f, FILE_NAME, FILE_SIZE, 54);

  new_upload (f, FILE_NAME);
  run (f);

  assert_upload_done (f, FILE_NAME);
  g_assert_cmpuint (count (f, "STOR"), ==, 0);
  g_assert_cmpuint (count (f, "APPE"), ==, 0);
  assert_rest_before (f, "RETR ", 1, FILE_SIZE - OVERLAP);
}

/* --- main --------------------------------------------------------------- */

#define ADD(path, func, data) \
  g_test_add ("/ftp/transfer/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("download/reset-426", test_download_reset_426, NULL);
  ADD ("download/reset-silent", test_download_reset_silent, NULL);
  ADD ("download/reset-lying-226", test_download_reset_lying_226, NULL);
  ADD ("download/reset-lying-226-no-size", test_download_lying_226_no_size, NULL);
  ADD ("download/drop", test_download_drop, NULL);
  ADD ("download/stall", test_download_stall, NULL);
  ADD ("download/stall-after-150", test_download_stall_before_data, NULL);
  ADD ("download/no-reply-to-retr", test_download_no_reply_to_retr, NULL);
  ADD ("download/421-at-connect", test_download_421, &close_at_connect);
  ADD ("download/421-at-size", test_download_421, &close_at_size);
  ADD ("download/421-at-mdtm", test_download_421, &close_at_mdtm);
  ADD ("download/421-at-epsv", test_download_421, &close_at_epsv);
  ADD ("download/421-at-retr", test_download_421, &close_at_retr);
  ADD ("download/early-226", test_download_early_226, NULL);
  ADD ("download/coalesce-150-226", test_download_coalesce, NULL);
  ADD ("download/skip-150", test_download_skip_150, NULL);
  ADD ("download/skip-150-slow", test_download_skip_150_slow, NULL);
  ADD ("download/delay-final", test_download_delay_final, NULL);
  ADD ("download/no-final-reply", test_download_no_final_reply, NULL);
  ADD ("download/epsv-refused", test_download_epsv_refused, NULL);
  ADD ("download/pasv-private-address", test_download_pasv_private_address, NULL);
  ADD ("download/pasv-octet-over-255", test_download_pasv_bad_octet, NULL);
  ADD ("download/epsv-port-0", test_download_epsv_bad_port,
       "229 Entering Extended Passive Mode (|||0|)");
  ADD ("download/epsv-port-70000", test_download_epsv_bad_port,
       "229 Entering Extended Passive Mode (|||70000|)");
  ADD ("download/no-size", test_download_no_size, NULL);
  ADD ("download/junk-size", test_download_junk_size, "213 about 12 bytes");
  ADD ("download/huge-size", test_download_junk_size, "213 99999999999999999999999");
  ADD ("download/no-mdtm", test_download_no_mdtm, NULL);
  ADD ("download/bad-mdtm", test_download_bad_mdtm, "213 20231399999999");
  ADD ("download/junk-mdtm", test_download_bad_mdtm, "213 Tue Nov 14 2023");
  ADD ("download/rest-502", test_download_rest_refused, "502 REST not implemented");
  ADD ("download/rest-504", test_download_rest_refused, "504 Not for this file");
  ADD ("download/rest-550", test_download_rest_refused, "550 Restart not allowed");
  ADD ("download/retr-refused-after-rest", test_download_retr_refused_after_rest, NULL);
  ADD ("download/rest-past-end", test_download_rest_past_end, NULL);
  ADD ("download/short-remote-no-size", test_download_short_remote_no_size, NULL);
  ADD ("download/changed/size", test_download_changed_append_at_size, NULL);
  ADD ("download/changed/grew-during-resume", test_download_changed_append_at_retr, NULL);
  ADD ("download/changed/mtime", test_download_changed_mtime, NULL);
  ADD ("download/changed/same-size-and-time", test_download_changed_flip_in_overlap, NULL);
  ADD ("download/changed/part-bigger", test_download_part_bigger, NULL);
  ADD ("download/part-complete", test_download_part_complete, NULL);
  ADD ("download/part-from-earlier-run", test_download_part_resume_info, NULL);
  ADD ("download/offset-over-4gib", test_download_huge_offset, NULL);
  ADD ("download/login-denied", test_download_login_denied, NULL);
  ADD ("download/not-found", test_download_not_found, NULL);
  ADD ("download/retr-550", test_download_retr_550, NULL);
  ADD ("download/transient-gives-up", test_download_transient_gives_up, NULL);
  ADD ("download/hash/xsha256", test_download_hash, "XSHA256");
  ADD ("download/hash/hash-sha256", test_download_hash, "HASH SHA-256*;SHA-1;MD5;CRC32");
  ADD ("download/hash/xmd5", test_download_hash, "XMD5");
  ADD ("download/hash/xcrc", test_download_hash, "XCRC");
  ADD ("download/hash/mismatch", test_download_hash_mismatch, NULL);
  ADD ("download/interrupted", test_download_interrupted, NULL);
  ADD ("download/pause", test_download_pause, NULL);
  ADD ("download/cancel", test_download_cancel, NULL);
  ADD ("download/local-write-fails", test_download_local_write_fails, NULL);
  ADD ("download/pause-resume-at-once", test_download_pause_resume_at_once, NULL);
  ADD ("download/random-resets", test_download_random_resets, NULL);
  ADD ("download/small/reset", test_download_small_reset, NULL);
  ADD ("download/small/stale-part", test_download_small_stale_part, NULL);
  ADD ("download/size-hint/exact", test_download_size_hint_exact, NULL);
  ADD ("download/size-hint/grew", test_download_size_hint_grew, NULL);
  ADD ("download/size-hint/shrank", test_download_size_hint_shrank, NULL);
  ADD ("download/size-hint/lying-226", test_download_size_hint_lying_226, NULL);

  ADD ("upload/appe", test_upload_appe, NULL);
  ADD ("upload/rest-stor", test_upload_rest_stor, NULL);
  ADD ("upload/reset-silent", test_upload_reset_silent, NULL);
  ADD ("upload/reset-lying-226", test_upload_reset_lying_226, NULL);
  ADD ("upload/drop", test_upload_drop, NULL);
  ADD ("upload/stall", test_upload_stall, NULL);
  ADD ("upload/421-at-stor", test_upload_421, NULL);
  ADD ("upload/early-226", test_upload_early_226, NULL);
  ADD ("upload/coalesce-150-226", test_upload_coalesce, NULL);
  ADD ("upload/epsv-refused", test_upload_epsv_refused, NULL);
  ADD ("upload/rest-refused", test_upload_rest_refused, NULL);
  ADD ("upload/remote-bigger/fail", test_upload_remote_bigger,
       GINT_TO_POINTER (FERRY_CONFLICT_FAIL));
  ADD ("upload/remote-bigger/restart", test_upload_remote_bigger,
       GINT_TO_POINTER (FERRY_CONFLICT_RESTART));
  ADD ("upload/remote-not-ours/fail", test_upload_remote_not_ours,
       GINT_TO_POINTER (FERRY_CONFLICT_FAIL));
  ADD ("upload/remote-not-ours/restart", test_upload_remote_not_ours,
       GINT_TO_POINTER (FERRY_CONFLICT_RESTART));
  ADD ("upload/size-mismatch", test_upload_size_mismatch, NULL);
  ADD ("upload/hash/xsha256", test_upload_hash, "XSHA256");
  ADD ("upload/hash/hash-sha256", test_upload_hash, "HASH SHA-256*;SHA-1;MD5");
  ADD ("upload/no-space-552", test_upload_no_space, "552 Quota exceeded");
  ADD ("upload/no-space-452", test_upload_no_space, "452 Insufficient storage");
  ADD ("upload/login-denied", test_upload_login_denied, NULL);
  ADD ("upload/interrupted", test_upload_interrupted, NULL);
  ADD ("upload/pause", test_upload_pause, NULL);
  ADD ("upload/already-there", test_upload_already_there, NULL);
  ADD ("upload/random-resets", test_upload_random_resets, NULL);
  ADD ("upload/small/reset", test_upload_small_reset, NULL);
  ADD ("upload/small/lying-226", test_upload_small_lying_226, NULL);
  ADD ("upload/remote-absent", test_upload_remote_absent, NULL);
  ADD ("upload/remote-absent-reset", test_upload_remote_absent_reset, NULL);

  return g_test_run ();
}
