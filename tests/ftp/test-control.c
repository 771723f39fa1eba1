/* test-control.c: FerryControl and FerryTransfer against real servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Debian's pyftpdlib and vsftpd, started on loopback for each test.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-ftp.h"
#include "ferry-test-util.h"

#define BIG_SIZE (50 * 1024 * 1024)

typedef struct
{
  FerryTestServer *server;
  FerryControl    *control;
  FerrySite       *site;
  char            *root;
  char            *local;
  GError          *error;
} Fixture;

static gboolean
watchdog_cb (gpointer user_data)
{
  g_error ("%s: an operation took longer than 120 s", g_test_get_path ());
  return G_SOURCE_REMOVE;
}

static GAsyncResult *last_result;

/* Turns the main loop until an async call reports; a hang fails the test.
 * The result stays alive until the next wait (or clear_last_result()), so
 * it can be passed straight to a _finish() call. */
static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  guint watchdog = g_timeout_add_seconds (120, watchdog_cb, NULL);

  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (watchdog);
  g_clear_object (&last_result);
  last_result = g_steal_pointer (slot);
  return last_result;
}

static void
clear_last_result (void)
{
  g_clear_object (&last_result);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  FerryTestServerKind kind = GPOINTER_TO_INT (data);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *sub = NULL;

  f->root = ferry_test_make_tmpdir ();
  f->local = ferry_test_make_tmpdir ();
  sub = g_build_filename (f->root, "sub", NULL);
  g_mkdir (sub, 0755);

  f->server = ferry_test_server_start (kind, f->root, NULL, 0, &f->error);
  if (f->server == NULL)
    {
      if (g_error_matches (f->error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        {
          g_test_skip (f->error->message);
          g_clear_error (&f->error);
          return;
        }
      g_assert_no_error (f->error);
    }

  f->site = ferry_test_server_new_site (f->server);

  f->control = ferry_control_new ();
  ferry_control_set_reply_timeout (f->control, 10);
  ferry_control_connect_async (f->control, ferry_site_get_host (f->site),
                               ferry_site_get_port (f->site), ferry_site_get_user (f->site),
                               ferry_site_get_password (f->site), NULL, store_cb, &result);
  ferry_control_connect_finish (f->control, wait_result (&result), &f->error);
  g_assert_no_error (f->error);
  g_assert_true (ferry_control_get_connected (f->control));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->control != NULL)
    {
      g_autoptr(GAsyncResult) result = NULL;

      ferry_control_close_async (f->control, NULL, store_cb, &result);
      ferry_control_close_finish (f->control, wait_result (&result), NULL);
      clear_last_result ();
      /* Let the cancelled reader report back before checking for leaks. */
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_assert_finalize_object (g_steal_pointer (&f->control));
    }
  g_clear_object (&f->site);
  g_clear_pointer (&f->server, ferry_test_server_stop);
  if (f->root != NULL)
    ferry_test_rm_rf (f->root);
  if (f->local != NULL)
    ferry_test_rm_rf (f->local);
  g_clear_pointer (&f->root, g_free);
  g_clear_pointer (&f->local, g_free);
  g_clear_error (&f->error);
}

static FerryReply *
command (Fixture    *f,
         const char *verb,
         const char *argument,
         FerryExpect expect)
{
  g_autoptr(GAsyncResult) result = NULL;

  ferry_control_command_async (f->control, verb, argument, expect, NULL, store_cb, &result);
  return ferry_control_command_finish (f->control, wait_result (&result), &f->error);
}

static char *
root_path (Fixture    *f,
           const char *name)
{
  return g_build_filename (f->root, name, NULL);
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_login_good (Fixture       *f,
                 gconstpointer  data)
{
  g_test_summary ("RFC 959: greeting, USER/PASS, FEAT, TYPE I against a real server");

  if (f->control == NULL)
    return;

  g_assert_cmpuint (ferry_control_get_port (f->control), ==, ferry_test_server_get_port (f->server));
  /* Both servers offer EPSV, SIZE and MDTM in FEAT. */
  g_assert_true (ferry_control_get_features (f->control) & FERRY_FEATURE_SIZE);
  g_assert_true (ferry_control_get_features (f->control) & FERRY_FEATURE_MDTM);
  g_assert_nonnull (ferry_control_get_peer_address (f->control));
}

static void
test_login_bad (Fixture       *f,
                gconstpointer  data)
{
  FerryTestServerKind kind = GPOINTER_TO_INT (data);
  g_autoptr(FerryControl) control = ferry_control_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("PROTOCOL.md: 530 is final, with a message a person can act on");

  if (f->control == NULL)
    return;

  /* vsftpd here is anonymous-only: any other user gets 530. */
  ferry_control_connect_async (control, "127.0.0.1", ferry_test_server_get_port (f->server),
                               kind == FERRY_TEST_SERVER_VSFTPD ? "bob" : "ferry",
                               "wrong password", NULL, store_cb, &result);
  g_assert_false (ferry_control_connect_finish (control, wait_result (&result), &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_LOGIN_DENIED);
  expected = g_strdup_printf ("cannot log in to 127.0.0.1:%u: *530 *",
                              ferry_test_server_get_port (f->server));
  if (!g_pattern_match_simple (expected, error->message))
    g_error ("unexpected message: %s", error->message);
  g_assert_false (ferry_ftp_error_is_transient (error));
  g_assert_false (ferry_control_get_connected (control));
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *a = NULL;
  g_autofree char *spaced = NULL;
  guint n_unsafe = 99;
  gboolean seen_a = FALSE, seen_sub = FALSE, seen_spaced = FALSE;

  g_test_summary ("MLSD when offered (pyftpdlib), else LIST (vsftpd); . and .. dropped");

  if (f->control == NULL)
    return;

  a = root_path (f, "a.txt");
  write_text (a, "12345");
  spaced = root_path (f, "with space.txt");
  write_text (spaced, "");

  ferry_control_list_async (f->control, NULL, NULL, store_cb, &result);
  files = ferry_control_list_finish (f->control, wait_result (&result), &n_unsafe, &f->error);
  g_assert_no_error (f->error);
  g_assert_cmpuint (n_unsafe, ==, 0);

  for (guint i = 0; i < files->len; i++)
    {
      FerryRemoteFile *file = g_ptr_array_index (files, i);
      const char *name = ferry_remote_file_get_name (file);

      g_assert_cmpstr (name, !=, ".");
      g_assert_cmpstr (name, !=, "..");
      if (g_str_equal (name, "a.txt"))
        {
          seen_a = TRUE;
          g_assert_cmpint (ferry_remote_file_get_file_type (file), ==, FERRY_FILE_TYPE_FILE);
          g_assert_cmpint (ferry_remote_file_get_size (file), ==, 5);
          g_assert_nonnull (ferry_remote_file_get_modified (file));
        }
      else if (g_str_equal (name, "sub"))
        {
          seen_sub = TRUE;
          g_assert_cmpint (ferry_remote_file_get_file_type (file), ==, FERRY_FILE_TYPE_DIRECTORY);
        }
      else if (g_str_equal (name, "with space.txt"))
        seen_spaced = TRUE;
    }

  g_assert_true (seen_a);
  g_assert_true (seen_sub);
  g_assert_true (seen_spaced);
}

static void
test_cwd_pwd (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(FerryReply) up = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *start = NULL;
  g_autofree char *pwd = NULL;
  g_autofree char *pwd2 = NULL;
  g_autofree char *expected = NULL;

  g_test_summary ("CWD, CDUP and PWD's quoted path (RFC 959 Appendix II)");

  if (f->control == NULL)
    return;

  /* vsftpd without chroot (run as the launching user) names real paths. */
  ferry_control_pwd_async (f->control, NULL, store_cb, &result);
  start = ferry_control_pwd_finish (f->control, wait_result (&result), &f->error);
  g_assert_no_error (f->error);

  reply = command (f, "CWD", "sub", FERRY_EXPECT_2YZ);
  g_assert_no_error (f->error);

  ferry_control_pwd_async (f->control, NULL, store_cb, &result);
  pwd = ferry_control_pwd_finish (f->control, wait_result (&result), &f->error);
  g_assert_no_error (f->error);
  expected = ferry_remote_path_join (start, "sub");
  g_assert_cmpstr (pwd, ==, expected);

  up = command (f, "CDUP", NULL, FERRY_EXPECT_2YZ);
  g_assert_no_error (f->error);
  ferry_control_pwd_async (f->control, NULL, store_cb, &result);
  pwd2 = ferry_control_pwd_finish (f->control, wait_result (&result), &f->error);
  g_assert_no_error (f->error);
  g_assert_cmpstr (pwd2, ==, start);

  g_clear_object (&reply);
  reply = command (f, "CWD", "no-such-folder", FERRY_EXPECT_2YZ);
  g_assert_null (reply);
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND);
  g_clear_error (&f->error);
}

static void
test_mkdir_rename_delete (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(FerryReply) mkd = NULL;
  g_autoptr(FerryReply) dele = NULL;
  g_autoptr(FerryReply) rmd = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *file = root_path (f, "old.txt");
  g_autofree char *renamed = root_path (f, "new name.txt");
  g_autofree char *made = root_path (f, "made");

  g_test_summary ("MKD, RNFR/RNTO (adjacent), DELE and RMD change the server's folder");

  if (f->control == NULL)
    return;

  write_text (file, "rename me");

  mkd = command (f, "MKD", "made", FERRY_EXPECT_2YZ);
  g_assert_no_error (f->error);
  g_assert_true (g_file_test (made, G_FILE_TEST_IS_DIR));

  ferry_control_rename_async (f->control, "old.txt", "new name.txt", NULL, store_cb, &result);
  ferry_control_rename_finish (f->control, wait_result (&result), &f->error);
  g_assert_no_error (f->error);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (renamed, G_FILE_TEST_IS_REGULAR));

  ferry_control_rename_async (f->control, "missing", "x", NULL, store_cb, &result);
  g_assert_false (ferry_control_rename_finish (f->control, wait_result (&result), &f->error));
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND);
  g_clear_error (&f->error);

  dele = command (f, "DELE", "new name.txt", FERRY_EXPECT_2YZ);
  g_assert_no_error (f->error);
  g_assert_false (g_file_test (renamed, G_FILE_TEST_EXISTS));

  rmd = command (f, "RMD", "made", FERRY_EXPECT_2YZ);
  g_assert_no_error (f->error);
  g_assert_false (g_file_test (made, G_FILE_TEST_EXISTS));
}

static void
test_size_mdtm (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GDateTime) mtime = NULL;
  g_autofree char *file = root_path (f, "sized.bin");
  gint64 size;

  g_test_summary ("TYPE I then SIZE; MDTM in UTC (RFC 3659)");

  if (f->control == NULL)
    return;

  ferry_test_write_random_file (file, 123457, 7);

  ferry_control_size_async (f->control, "sized.bin", NULL, store_cb, &result);
  size = ferry_control_size_finish (f->control, wait_result (&result), &f->error);
  g_assert_no_error (f->error);
  g_assert_cmpint (size, ==, 123457);

  ferry_control_mdtm_async (f->control, "sized.bin", NULL, store_cb, &result);
  mtime = ferry_control_mdtm_finish (f->control, wait_result (&result), &f->error);
  g_assert_no_error (f->error);
  g_assert_nonnull (mtime);
  g_assert_cmpint (ABS (g_date_time_to_unix (mtime) - (gint64) time (NULL)), <, 120);

  ferry_control_size_async (f->control, "missing.bin", NULL, store_cb, &result);
  g_assert_cmpint (ferry_control_size_finish (f->control, wait_result (&result), &f->error), ==, -1);
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND);
  g_clear_error (&f->error);
}

static void
test_refuse_crlf (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(FerryReply) after = NULL;
  g_autofree char *victim = root_path (f, "victim.txt");

  g_test_summary ("PROTOCOL.md: CR or LF inside a path is refused, not sent (curl tests 225/226)");

  if (f->control == NULL)
    return;

  write_text (victim, "keep me");
  reply = command (f, "SIZE", "a\r\nDELE victim.txt", FERRY_EXPECT_ANY);
  g_assert_null (reply);
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_COMMAND);
  g_clear_error (&f->error);

  /* The connection is still fine, and nothing was deleted. */
  after = command (f, "NOOP", NULL, FERRY_EXPECT_2YZ);
  g_assert_no_error (f->error);
  g_assert_true (g_file_test (victim, G_FILE_TEST_EXISTS));
}

static void
test_raw (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FerryReply) reply = NULL;

  g_test_summary ("The console's raw command returns any final reply, errors included");

  if (f->control == NULL)
    return;

  ferry_control_send_async (f->control, "NOSUCHCOMMAND", FERRY_EXPECT_ANY, NULL, store_cb, &result);
  reply = ferry_control_send_finish (f->control, wait_result (&result), &f->error);
  g_assert_no_error (f->error);
  g_assert_cmpuint (ferry_reply_get_class (reply), ==, 5);
}

static FerryTransfer *
run_transfer (FerryTransfer *transfer)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ferry_transfer_set_retry_delays (transfer, 1, 1);
  ferry_transfer_run_async (transfer, NULL, store_cb, &result);
  ferry_transfer_run_finish (transfer, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (ferry_transfer_get_state (transfer), ==, FERRY_TRANSFER_DONE);
  return transfer;
}

static void
test_get_put_big (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *source = g_build_filename (f->local, "source.bin", NULL);
  g_autofree char *remote = root_path (f, "uploaded.bin");
  g_autofree char *back = g_build_filename (f->local, "back.bin", NULL);
  g_autofree char *part = g_strconcat (back, ".ferry-part", NULL);
  g_autofree char *sum_source = NULL;
  g_autofree char *sum_remote = NULL;
  g_autofree char *sum_back = NULL;
  g_autoptr(GFile) source_file = NULL;
  g_autoptr(GFile) back_file = NULL;
  g_autoptr(FerryTransfer) put = NULL;
  g_autoptr(FerryTransfer) get = NULL;

  g_test_summary ("A 50 MiB random file goes up and comes back byte-identical (sha256)");

  if (f->control == NULL)
    return;

  ferry_test_write_random_file (source, BIG_SIZE, 42);
  sum_source = ferry_test_sha256_file (source);

  source_file = g_file_new_for_path (source);
  put = ferry_transfer_new_upload (f->site, source_file, "uploaded.bin");
  run_transfer (put);
  g_assert_cmpint (ferry_transfer_get_bytes_done (put), ==, BIG_SIZE);
  g_assert_cmpint (ferry_transfer_get_total_size (put), ==, BIG_SIZE);
  sum_remote = ferry_test_sha256_file (remote);
  g_assert_cmpstr (sum_remote, ==, sum_source);

  back_file = g_file_new_for_path (back);
  get = ferry_transfer_new_download (f->site, "uploaded.bin", back_file);
  run_transfer (get);
  sum_back = ferry_test_sha256_file (back);
  g_assert_cmpstr (sum_back, ==, sum_source);
  g_assert_cmpfloat (ferry_transfer_get_fraction (get), ==, 1.0);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
}

static void
test_get_missing (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *target = g_build_filename (f->local, "missing.bin", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (target);
  g_autoptr(FerryTransfer) get = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_test_summary ("PROTOCOL.md: 550 is final, never retried, and no file appears");

  if (f->control == NULL)
    return;

  get = ferry_transfer_new_download (f->site, "missing.bin", file);
  ferry_transfer_set_retry_delays (get, 1, 1);
  ferry_transfer_run_async (get, NULL, store_cb, &result);
  g_assert_false (ferry_transfer_run_finish (get, wait_result (&result), &error));
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_FOUND);
  g_assert_cmpint (ferry_transfer_get_state (get), ==, FERRY_TRANSFER_FAILED);
  g_assert_cmpuint (ferry_transfer_get_attempt (get), ==, 1);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
}

static void
queue_state_cb (FerryQueue *queue,
                GParamSpec *pspec,
                gboolean   *idle)
{
  *idle = !ferry_queue_get_busy (queue);
}

static void
test_queue_reuses_connection (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(FerryQueue) queue = ferry_queue_new ();
  g_auto(GStrv) commands = NULL;
  gboolean idle = FALSE;
  guint n_user = 0, n_retr = 0;

  g_test_summary ("Transfers in one queue share a logged-in connection (FerryPool)");

  if (f->control == NULL)
    return;

  ferry_queue_set_max_parallel (queue, 1);
  g_signal_connect (queue, "notify::busy", G_CALLBACK (queue_state_cb), &idle);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("small%u.bin", i);
      g_autofree char *remote = root_path (f, name);
      g_autofree char *local = g_build_filename (f->local, name, NULL);
      g_autoptr(GFile) file = g_file_new_for_path (local);
      g_autoptr(FerryTransfer) transfer = NULL;

      ferry_test_write_random_file (remote, 4096 + i, i);
      transfer = ferry_transfer_new_download (f->site, name, file);
      ferry_queue_add (queue, transfer);
    }

  ferry_test_wait_for (&idle, 60);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (queue), i);
      g_autofree char *name = g_strdup_printf ("small%u.bin", i);
      g_autofree char *remote = root_path (f, name);
      g_autofree char *local = g_build_filename (f->local, name, NULL);
      g_autofree char *a = ferry_test_sha256_file (remote);
      g_autofree char *b = ferry_test_sha256_file (local);

      g_assert_cmpint (ferry_transfer_get_state (transfer), ==, FERRY_TRANSFER_DONE);
      g_assert_cmpstr (a, ==, b);
    }

  commands = ferry_test_server_get_commands (f->server);
  if (commands == NULL)
    return;  /* vsftpd keeps no command log here */

  for (guint i = 0; commands[i] != NULL; i++)
    {
      if (g_str_has_prefix (commands[i], "USER "))
        n_user++;
      if (g_str_has_prefix (commands[i], "RETR "))
        n_retr++;
    }

  g_assert_cmpuint (n_retr, ==, 5);
  /* The fixture's own connection, and one for all five transfers. */
  g_assert_cmpuint (n_user, ==, 2);
}

static void
add_server_tests (const char          *name,
                  FerryTestServerKind  kind)
{
  static const struct {
    const char *path;
    void (*func) (Fixture *, gconstpointer);
  } cases[] = {
    { "login-good", test_login_good },
    { "login-bad", test_login_bad },
    { "list", test_list },
    { "cwd-pwd", test_cwd_pwd },
    { "mkdir-rename-delete", test_mkdir_rename_delete },
    { "size-mdtm", test_size_mdtm },
    { "refuse-crlf", test_refuse_crlf },
    { "raw", test_raw },
    { "get-missing", test_get_missing },
    { "get-put-50MiB", test_get_put_big },
    { "queue-reuses-connection", test_queue_reuses_connection },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/ftp/control/%s/%s", name, cases[i].path);
      g_test_add (path, Fixture, GINT_TO_POINTER (kind),
                  fixture_set_up, cases[i].func, fixture_tear_down);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  add_server_tests ("pyftpdlib", FERRY_TEST_SERVER_PYFTPDLIB);
  add_server_tests ("vsftpd", FERRY_TEST_SERVER_VSFTPD);

  return g_test_run ();
}
