/* test-cli.c: ferry-cli as a script would run it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "ferry-test-util.h"

typedef struct
{
  FerryTestServer *server;
  char            *root;
  char            *local;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

static const char *
cli_path (void)
{
  return g_getenv ("FERRY_CLI");
}

/* Runs ferry-cli to its end; @stdin_text (nullable) is its standard input. */
static void
run_cli (Run                *run,
         const char * const *env,
         const char         *stdin_text,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) cli_path ());
  va_start (args, stdin_text);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_unsetenv (launcher, "FERRY_PASSWORD");
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, stdin_text ? stdin_text : "", NULL,
                                 &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *script = data;

  if (cli_path () == NULL)
    {
      g_test_skip ("FERRY_CLI is not set");
      return;
    }

  f->root = ferry_test_make_tmpdir ();
  f->local = ferry_test_make_tmpdir ();
  f->server = ferry_test_server_start (script != NULL ? FERRY_TEST_SERVER_FAULT
                                                      : FERRY_TEST_SERVER_PYFTPDLIB,
                                       f->root, script, 0, &error);
  if (f->server == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
    {
      g_test_skip (error->message);
      return;
    }
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->server, ferry_test_server_stop);
  if (f->root != NULL)
    ferry_test_rm_rf (f->root);
  if (f->local != NULL)
    ferry_test_rm_rf (f->local);
  g_free (f->root);
  g_free (f->local);
}

static char *
url (Fixture    *f,
     const char *path)
{
  return ferry_test_server_get_url (f->server, path);
}

static const char *password_env[] = { "FERRY_PASSWORD", "secret", NULL };

static void
test_help (void)
{
  Run run = { 0 };

  g_test_summary ("--help lists the commands and the exit statuses; --version prints it");

  if (cli_path () == NULL)
    {
      g_test_skip ("FERRY_CLI is not set");
      return;
    }

  run_cli (&run, NULL, NULL, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "get URL [LOCAL]"));
  g_assert_nonnull (strstr (run.out, "--password-stdin"));
  g_assert_nonnull (strstr (run.out, "Exit status"));
  run_clear (&run);

  run_cli (&run, NULL, NULL, "--version", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "ferry-cli " PACKAGE_VERSION));
  run_clear (&run);

  run_cli (&run, NULL, NULL, "frobnicate", "x", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_nonnull (strstr (run.err, "unknown command"));
  run_clear (&run);
}

static void
test_bad_url (void)
{
  Run run = { 0 };

  g_test_summary ("A URL that is not ftp:// is a usage error with one clear line");

  if (cli_path () == NULL)
    {
      g_test_skip ("FERRY_CLI is not set");
      return;
    }

  run_cli (&run, NULL, NULL, "ls", "https://example.invalid/", NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_true (g_str_has_prefix (run.err, "ferry-cli: "));
  g_assert_cmpint (strchr (run.err, '\n') - run.err, ==, strlen (run.err) - 1);
  run_clear (&run);
}

static void
test_ls (Fixture       *f,
         gconstpointer  data)
{
  g_autofree char *file = g_build_filename (f->root, "notes.txt", NULL);
  g_autofree char *dir = g_build_filename (f->root, "folder", NULL);
  g_autofree char *where = NULL;
  g_autofree char *year = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  Run run = { 0 };

  g_test_summary ("ls lists names, sizes and dates");

  if (f->server == NULL)
    return;

  g_file_set_contents (file, "0123456789", -1, NULL);
  g_mkdir (dir, 0755);
  where = url (f, "/");

  run_cli (&run, password_env, NULL, "ls", where, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "notes.txt"));
  g_assert_nonnull (strstr (run.out, " 10 "));
  g_assert_nonnull (strstr (run.out, "folder/"));
  year = g_date_time_format (now, "%Y-");
  g_assert_nonnull (strstr (run.out, year));
  run_clear (&run);
}

static void
test_bad_login (Fixture       *f,
                gconstpointer  data)
{
  const char *env[] = { "FERRY_PASSWORD", "wrong", NULL };
  g_autofree char *where = NULL;
  g_autofree char *expected = NULL;
  Run run = { 0 };

  g_test_summary ("A refused login exits 1 with the server's words on one line");

  if (f->server == NULL)
    return;

  where = url (f, "/");
  run_cli (&run, env, NULL, "ls", where, NULL);
  g_assert_cmpint (run.status, ==, 1);
  expected = g_strdup_printf ("ferry-cli: cannot log in to 127.0.0.1:%u: 530 *\n",
                              ferry_test_server_get_port (f->server));
  if (!g_pattern_match_simple (expected, run.err))
    g_error ("unexpected error output: %s", run.err);
  run_clear (&run);
}

static void
test_password_never_shown (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *where = NULL;
  Run run = { 0 };

  g_test_summary ("--password-stdin works, and -v masks PASS: the password appears nowhere");

  if (f->server == NULL)
    return;

  where = url (f, "/");
  run_cli (&run, NULL, "secret\n", "-v", "--password-stdin", "ls", where, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "> PASS ****"));
  g_assert_null (strstr (run.err, "secret"));
  g_assert_null (strstr (run.out, "secret"));
  run_clear (&run);
}

static void
test_get_put (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *source = g_build_filename (f->local, "up.bin", NULL);
  g_autofree char *remote = g_build_filename (f->root, "up.bin", NULL);
  g_autofree char *back = g_build_filename (f->local, "back.bin", NULL);
  g_autofree char *sum = NULL;
  g_autofree char *sum_remote = NULL;
  g_autofree char *sum_back = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *file_url = NULL;
  Run run = { 0 };

  g_test_summary ("put then get round-trip a file byte-identical, quietly when not a terminal");

  if (f->server == NULL)
    return;

  ferry_test_write_random_file (source, 3 * 1024 * 1024 + 17, 3);
  sum = ferry_test_sha256_file (source);

  folder = url (f, "/");
  run_cli (&run, password_env, NULL, "put", source, folder, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, "");
  run_clear (&run);
  sum_remote = ferry_test_sha256_file (remote);
  g_assert_cmpstr (sum_remote, ==, sum);

  file_url = url (f, "/up.bin");
  run_cli (&run, password_env, NULL, "get", file_url, back, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  sum_back = ferry_test_sha256_file (back);
  g_assert_cmpstr (sum_back, ==, sum);
}

static void
test_get_into_folder (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *remote = g_build_filename (f->root, "name.txt", NULL);
  g_autofree char *expected = g_build_filename (f->local, "name.txt", NULL);
  g_autofree char *file_url = NULL;
  g_autofree char *contents = NULL;
  Run run = { 0 };

  g_test_summary ("get URL FOLDER puts the file under its remote name in FOLDER");

  if (f->server == NULL)
    return;

  g_file_set_contents (remote, "hello", -1, NULL);
  file_url = url (f, "/name.txt");
  run_cli (&run, password_env, NULL, "get", "--progress=always", file_url, f->local, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "100%"));
  run_clear (&run);
  g_assert_true (g_file_get_contents (expected, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "hello");
}

static void
test_recursive (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *tree = g_build_filename (f->local, "tree", NULL);
  g_autofree char *deep = g_build_filename (tree, "a", "b", NULL);
  g_autofree char *copy = g_build_filename (f->local, "copy", NULL);
  g_autofree char *where = NULL;
  g_autofree char *from = NULL;
  Run run = { 0 };

  g_test_summary ("put -r and get -r copy a folder tree with parallel transfers");

  if (f->server == NULL)
    return;

  g_mkdir_with_parents (deep, 0755);
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("file%u.bin", i);
      g_autofree char *path = g_build_filename (i % 2 ? deep : tree, name, NULL);
      ferry_test_write_random_file (path, 8192 + i, i);
    }

  where = url (f, "/tree");
  run_cli (&run, password_env, NULL, "put", "-r", "-P", "4", tree, where, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  run_cli (&run, password_env, NULL, "get", "-r", "-P", "4", where, copy, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *name = g_strdup_printf ("file%u.bin", i);
      g_autofree char *a = g_build_filename (i % 2 ? deep : tree, name, NULL);
      g_autofree char *b = g_build_filename (copy, i % 2 ? "a/b" : "", name, NULL);
      g_autofree char *sa = ferry_test_sha256_file (a);
      g_autofree char *sb = ferry_test_sha256_file (b);

      g_assert_cmpstr (sa, ==, sb);
    }
}

static void
test_raw (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *where = NULL;
  Run run = { 0 };

  g_test_summary ("raw sends each command and prints each reply; a refusal exits 1");

  if (f->server == NULL)
    return;

  where = url (f, "/");
  run_cli (&run, password_env, NULL, "raw", where, "NOOP", "MKD made", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "200 "));
  g_assert_nonnull (strstr (run.out, "257 "));
  run_clear (&run);

  run_cli (&run, password_env, NULL, "raw", where, "RMD no-such-folder", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_nonnull (strstr (run.out, "550"));
  run_clear (&run);
}

static const char *reset_script =
  "{\"faults\": [{\"command\": \"RETR\", \"nth\": 1, \"action\": \"reset_data\","
  " \"after_bytes\": 300000}]}";

static void
test_no_reconnect_then_resume (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *remote = g_build_filename (f->root, "big.bin", NULL);
  g_autofree char *target = g_build_filename (f->local, "big.bin", NULL);
  g_autofree char *part = g_strconcat (target, ".ferry-part", NULL);
  g_autofree char *file_url = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *sum_back = NULL;
  g_auto(GStrv) commands = NULL;
  gboolean saw_rest = FALSE;
  Run run = { 0 };

  g_test_summary ("--no-reconnect stops with status 3 keeping the bytes; running again resumes");

  if (f->server == NULL)
    return;

  ferry_test_write_random_file (remote, 2 * 1024 * 1024, 11);
  sum = ferry_test_sha256_file (remote);
  file_url = url (f, "/big.bin");

  run_cli (&run, password_env, NULL, "get", "--no-reconnect", file_url, target, NULL);
  g_assert_cmpint (run.status, ==, 3);
  g_assert_nonnull (strstr (run.err, "run the same command again to resume"));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (part, G_FILE_TEST_EXISTS));
  run_clear (&run);

  run_cli (&run, password_env, NULL, "get", file_url, target, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  sum_back = ferry_test_sha256_file (target);
  g_assert_cmpstr (sum_back, ==, sum);

  commands = ferry_test_server_get_commands (f->server);
  for (guint i = 0; commands[i] != NULL; i++)
    if (g_str_has_prefix (commands[i], "REST ") && !g_str_equal (commands[i], "REST 0"))
      saw_rest = TRUE;
  g_assert_true (saw_rest);
}

static const char *slow_script =
  "{\"faults\": [{\"command\": \"RETR\", \"nth\": 1, \"action\": \"rate\","
  " \"bytes_per_second\": 2000000}]}";

typedef struct
{
  const char *path;
  gboolean    grown;
} GrowWatch;

static gboolean
part_grew_cb (gpointer user_data)
{
  GrowWatch *watch = user_data;
  GStatBuf st;

  if (g_stat (watch->path, &st) == 0 && st.st_size >= 1024 * 1024)
    {
      watch->grown = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
test_sigkill_resume (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *remote = g_build_filename (f->root, "big.bin", NULL);
  g_autofree char *target = g_build_filename (f->local, "big.bin", NULL);
  g_autofree char *part = g_strconcat (target, ".ferry-part", NULL);
  g_autofree char *file_url = NULL;
  g_autofree char *sum = NULL;
  g_autofree char *sum_back = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) commands = NULL;
  GrowWatch watch = { part, FALSE };
  Run run = { 0 };
  guint n_rest = 0;

  g_test_summary ("ferry-cli killed with SIGKILL mid-download resumes when started again");

  if (f->server == NULL)
    return;

  ferry_test_write_random_file (remote, 8 * 1024 * 1024, 5);
  sum = ferry_test_sha256_file (remote);
  file_url = url (f, "/big.bin");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                        G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_setenv (launcher, "FERRY_PASSWORD", "secret", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, cli_path (), "get", file_url, target, NULL);
  g_assert_no_error (error);

  /* Until a megabyte is on disk; the server sends 2 MB/s. */
  g_timeout_add (20, part_grew_cb, &watch);
  ferry_test_wait_for (&watch.grown, 30);

  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_wait (process, NULL, NULL);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));

  run_cli (&run, password_env, NULL, "get", file_url, target, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  sum_back = ferry_test_sha256_file (target);
  g_assert_cmpstr (sum_back, ==, sum);
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));

  commands = ferry_test_server_get_commands (f->server);
  for (guint i = 0; commands[i] != NULL; i++)
    if (g_str_has_prefix (commands[i], "REST "))
      n_rest++;
  g_assert_cmpuint (n_rest, ==, 1);
}

static void
test_translated (Fixture       *f,
                 gconstpointer  data)
{
  const char *env[] = { "LANGUAGE", "zh_TW", "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8",
                        "FERRY_LOCALEDIR", g_getenv ("FERRY_TEST_LOCALEDIR"), NULL };
  Run run = { 0 };

  g_test_summary ("With LANGUAGE=zh_TW the CLI speaks Traditional Chinese");

  if (g_getenv ("FERRY_TEST_LOCALEDIR") == NULL || cli_path () == NULL)
    {
      g_test_skip ("FERRY_TEST_LOCALEDIR is not set");
      return;
    }

  run_cli (&run, env, NULL, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  /* Ferry's own lines, not only GLib's, must be translated. */
  g_assert_null (strstr (run.out, "Print the protocol dialogue"));
  g_assert_null (strstr (run.out, "Exit status"));
  g_assert_nonnull (strstr (run.out, "ferry-cli"));
  g_assert_true (g_utf8_validate (run.out, -1, NULL));
  g_assert_nonnull (strstr (run.out, "\xe5\x82\xb3\xe8\xbc\xb8"));  /* 傳輸, "transfer" */
  run_clear (&run);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/bad-url", test_bad_url);
  g_test_add ("/cli/ls", Fixture, NULL, fixture_set_up, test_ls, fixture_tear_down);
  g_test_add ("/cli/bad-login", Fixture, NULL, fixture_set_up, test_bad_login, fixture_tear_down);
  g_test_add ("/cli/password-never-shown", Fixture, NULL, fixture_set_up,
              test_password_never_shown, fixture_tear_down);
  g_test_add ("/cli/get-put", Fixture, NULL, fixture_set_up, test_get_put, fixture_tear_down);
  g_test_add ("/cli/get-into-folder", Fixture, NULL, fixture_set_up, test_get_into_folder,
              fixture_tear_down);
  g_test_add ("/cli/recursive", Fixture, NULL, fixture_set_up, test_recursive, fixture_tear_down);
  g_test_add ("/cli/raw", Fixture, NULL, fixture_set_up, test_raw, fixture_tear_down);
  g_test_add ("/cli/get/no-reconnect-then-resume", Fixture, reset_script, fixture_set_up,
              test_no_reconnect_then_resume, fixture_tear_down);
  g_test_add ("/cli/get/sigkill-resume", Fixture, slow_script, fixture_set_up,
              test_sigkill_resume, fixture_tear_down);
  g_test_add ("/cli/translated", Fixture, NULL, NULL, test_translated, NULL);

  return g_test_run ();
}
