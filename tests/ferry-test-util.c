/* ferry-test-util.c: helpers shared by Ferry's tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Servers are started through tests/servers/ferry-test-server.py (found via
 * $FERRY_TEST_SERVERS, which tests/meson.build sets), always with
 * /usr/bin/python3: the python3 first on PATH may lack Debian's modules.
 *
 * Credentials:
 *   - pyftpdlib and fault: user "ferry", password "secret".
 *   - vsftpd: user "anonymous", password "ferry@".  vsftpd runs with
 *     no_anon_password=YES, so it answers "230" straight to USER and never
 *     asks for the password (a client must accept 230 after USER).
 *
 * Commands log: the fault server logs every command it receives; so does
 * the pyftpdlib launcher (same format).  ferry_test_server_get_commands()
 * returns NULL for vsftpd only.
 *
 * Errors from ferry_test_server_start(): G_IO_ERROR_NOT_SUPPORTED when the
 * server cannot run on this machine (no /usr/bin/python3, no vsftpd, no
 * pyftpdlib, no $FERRY_TEST_SERVERS): the caller should g_test_skip().  Any
 * other error is a real failure.
 *
 * The launcher stops when its stdin reaches EOF, so a crashed test leaves no
 * server behind.  It also uses PR_SET_PDEATHSIG, which fires when the thread
 * that started it exits: start servers from the test's main thread. */

#define G_LOG_DOMAIN "ferry-test-util"

#include "ferry-test-util.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#define PYTHON              "/usr/bin/python3"
#define VSFTPD              "/usr/sbin/vsftpd"
#define READY_TIMEOUT_MS    10000
#define STOP_TIMEOUT_MS     5000
#define EXIT_UNAVAILABLE    77
#define RANDOM_BUFFER_SIZE  (1024 * 1024)

struct _FerryTestServer
{
  FerryTestServerKind  kind;
  GSubprocess         *process;
  char                *root;
  char                *tmpdir;
  char                *log_path;
  guint16              port;
};

typedef struct
{
  gboolean  done;
  char     *line;
  GError   *error;
} ReadLineState;

static gboolean
set_flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;

  return G_SOURCE_REMOVE;
}

/* Iterates @context until *@done or @timeout_ms elapse; FALSE on timeout. */
static gboolean
iterate_until (GMainContext *context,
               gboolean     *done,
               guint         timeout_ms)
{
  g_autoptr(GSource) timeout = NULL;
  gboolean timed_out = FALSE;

  timeout = g_timeout_source_new (timeout_ms);
  g_source_set_callback (timeout, set_flag_cb, &timed_out, NULL);
  g_source_attach (timeout, context);

  while (!*done && !timed_out)
    g_main_context_iteration (context, TRUE);

  g_source_destroy (timeout);

  return *done;
}

void
ferry_test_wait_for (gboolean *flag,
                     guint     seconds)
{
  g_autofree char *message = NULL;

  g_return_if_fail (flag != NULL);

  if (iterate_until (NULL, flag, seconds * 1000))
    return;

  message = g_strdup_printf ("ferry_test_wait_for: nothing happened within %u s "
                             "(the awaited callback never ran)",
                             seconds);
  /* Fails the test like a failed g_assert (fatal unless the test asked for
   * g_test_set_nonfatal_assertions()). */
  g_assertion_message (G_LOG_DOMAIN, __FILE__, __LINE__, G_STRFUNC, message);
}

static const char *
kind_to_string (FerryTestServerKind kind)
{
  switch (kind)
    {
    case FERRY_TEST_SERVER_PYFTPDLIB:
      return "pyftpdlib";
    case FERRY_TEST_SERVER_VSFTPD:
      return "vsftpd";
    case FERRY_TEST_SERVER_FAULT:
      return "fault";
    default:
      return NULL;
    }
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ReadLineState *state = user_data;

  state->line = g_data_input_stream_read_line_finish (G_DATA_INPUT_STREAM (object),
                                                      result, NULL, &state->error);
  state->done = TRUE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

/* Waits for @process to exit, at most @timeout_ms; kills it after that. */
static void
wait_or_kill (GSubprocess *process,
              guint        timeout_ms)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  gboolean done = FALSE;

  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (process, cancellable, wait_cb, &done);
  if (!iterate_until (context, &done, timeout_ms))
    {
      /* Not a warning: those are fatal in tests, and a slow machine is no bug. */
      g_test_message ("the test server did not stop within %u ms, killing it", timeout_ms);
      g_subprocess_force_exit (process);
      g_cancellable_cancel (cancellable);
      while (!done)
        g_main_context_iteration (context, TRUE);
      g_subprocess_wait (process, NULL, NULL);
    }
  g_main_context_pop_thread_default (context);
}

/* Reads the launcher's "READY <port>" line. */
static char *
read_ready_line (GSubprocess  *process,
                 GError      **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GDataInputStream) input = NULL;
  ReadLineState state = { 0 };

  input = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_data_input_stream_set_newline_type (input, G_DATA_STREAM_NEWLINE_TYPE_LF);
  /* Keep the pipe open after this: the launcher may still write to it. */
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);

  g_main_context_push_thread_default (context);
  g_data_input_stream_read_line_async (input, G_PRIORITY_DEFAULT, cancellable,
                                       read_line_cb, &state);
  if (!iterate_until (context, &state.done, READY_TIMEOUT_MS))
    {
      g_cancellable_cancel (cancellable);
      while (!state.done)
        g_main_context_iteration (context, TRUE);
      g_clear_error (&state.error);
      g_clear_pointer (&state.line, g_free);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "The test server did not say READY within %u s",
                   READY_TIMEOUT_MS / 1000);
    }
  g_main_context_pop_thread_default (context);

  if (state.error != NULL)
    {
      g_propagate_error (error, state.error);
      g_free (state.line);
      return NULL;
    }
  if (state.line == NULL && error != NULL && *error == NULL)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "The test server exited before it was ready");

  return state.line;
}

static gboolean
write_script (const char  *path,
              const char  *script,
              GError     **error)
{
  return g_file_set_contents (path, script, -1, error);
}

FerryTestServer *
ferry_test_server_start (FerryTestServerKind   kind,
                         const char           *root,
                         const char           *script,
                         guint16               port,
                         GError              **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = NULL;
  g_autofree char *launcher_path = NULL;
  g_autofree char *script_path = NULL;
  g_autofree char *line = NULL;
  g_autofree char *port_string = NULL;
  g_autoptr(GError) local_error = NULL;
  FerryTestServer *server;
  const char *servers_dir;
  const char *kind_string;
  guint64 ready_port = 0;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  kind_string = kind_to_string (kind);
  g_return_val_if_fail (kind_string != NULL, NULL);

  servers_dir = g_getenv ("FERRY_TEST_SERVERS");
  if (servers_dir == NULL || *servers_dir == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "FERRY_TEST_SERVERS is not set (run the tests with meson test)");
      return NULL;
    }
  launcher_path = g_build_filename (servers_dir, "ferry-test-server.py", NULL);
  if (!g_file_test (launcher_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s does not exist", launcher_path);
      return NULL;
    }
  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           PYTHON " is not installed");
      return NULL;
    }
  if (kind == FERRY_TEST_SERVER_VSFTPD && !g_file_test (VSFTPD, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "vsftpd is not installed (apt install vsftpd)");
      return NULL;
    }

  server = g_new0 (FerryTestServer, 1);
  server->kind = kind;
  server->root = g_strdup (root);
  server->tmpdir = g_dir_make_tmp ("ferry-server-XXXXXX", error);
  if (server->tmpdir == NULL)
    {
      ferry_test_server_stop (server);
      return NULL;
    }
  /* vsftpd's own protocol log is of no use to get_commands(). */
  server->log_path = g_build_filename (server->tmpdir,
                                       kind == FERRY_TEST_SERVER_VSFTPD ?
                                       "vsftpd.log" : "commands.log",
                                       NULL);

  port_string = g_strdup_printf ("%u", (guint) port);
  argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) PYTHON);
  g_ptr_array_add (argv, launcher_path);
  g_ptr_array_add (argv, (gpointer) kind_string);
  g_ptr_array_add (argv, (gpointer) "--root");
  g_ptr_array_add (argv, (gpointer) root);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, port_string);
  g_ptr_array_add (argv, (gpointer) "--log");
  g_ptr_array_add (argv, server->log_path);
  if (script != NULL)
    {
      script_path = g_build_filename (server->tmpdir, "script.json", NULL);
      if (!write_script (script_path, script, error))
        {
          ferry_test_server_stop (server);
          return NULL;
        }
      g_ptr_array_add (argv, (gpointer) "--script");
      g_ptr_array_add (argv, script_path);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* Keep Debian's interpreter away from another Python's settings. */
  g_subprocess_launcher_unsetenv (launcher, "PYTHONHOME");
  g_subprocess_launcher_unsetenv (launcher, "PYTHONPATH");
  g_subprocess_launcher_unsetenv (launcher, "PYTHONSTARTUP");

  server->process = g_subprocess_launcher_spawnv (launcher,
                                                  (const char * const *) argv->pdata,
                                                  error);
  if (server->process == NULL)
    {
      ferry_test_server_stop (server);
      return NULL;
    }

  line = read_ready_line (server->process, &local_error);
  if (line == NULL)
    {
      /* Exited early?  Status 77 means "cannot run here". */
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        {
          wait_or_kill (server->process, STOP_TIMEOUT_MS);
          if (g_subprocess_get_if_exited (server->process) &&
              g_subprocess_get_exit_status (server->process) == EXIT_UNAVAILABLE)
            {
              g_clear_error (&local_error);
              g_set_error (&local_error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "The %s test server is not available here", kind_string);
            }
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      ferry_test_server_stop (server);
      return NULL;
    }

  if (!g_str_has_prefix (line, "READY ") ||
      !g_ascii_string_to_unsigned (line + strlen ("READY "), 10, 1, G_MAXUINT16,
                                   &ready_port, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The test server said \"%s\" instead of READY <port>", line);
      ferry_test_server_stop (server);
      return NULL;
    }
  server->port = (guint16) ready_port;

  return server;
}

/* ferry_test_server_start() on a free port for a test case: a server that
 * cannot run here skips the case (g_test_skip() and NULL), any other
 * failure fails it. */
FerryTestServer *
ferry_test_server_start_or_skip (FerryTestServerKind  kind,
                                 const char          *root,
                                 const char          *script)
{
  g_autoptr(GError) error = NULL;
  FerryTestServer *server = ferry_test_server_start (kind, root, script, 0, &error);

  if (server == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED))
        {
          g_test_skip (error->message);
          return NULL;
        }
      g_assert_no_error (error);
    }
  return server;
}

/* A site with the server's address and login. */
FerrySite *
ferry_test_server_new_site (FerryTestServer *server)
{
  return ferry_site_new (ferry_test_server_get_host (server),
                         ferry_test_server_get_port (server),
                         ferry_test_server_get_user (server),
                         ferry_test_server_get_password (server));
}

void
ferry_test_server_stop (FerryTestServer *server)
{
  if (server == NULL)
    return;

  if (server->process != NULL)
    {
      GOutputStream *input = g_subprocess_get_stdin_pipe (server->process);

      /* EOF on stdin is the launcher's signal to stop; SIGTERM too. */
      if (input != NULL)
        g_output_stream_close (input, NULL, NULL);
      g_subprocess_send_signal (server->process, SIGTERM);
      wait_or_kill (server->process, STOP_TIMEOUT_MS);
      if (g_subprocess_get_if_exited (server->process) &&
          g_subprocess_get_exit_status (server->process) != 0)
        g_test_message ("the %s test server exited with status %d",
                        kind_to_string (server->kind),
                        g_subprocess_get_exit_status (server->process));
      g_clear_object (&server->process);
    }

  if (server->tmpdir != NULL)
    ferry_test_rm_rf (server->tmpdir);

  g_free (server->root);
  g_free (server->tmpdir);
  g_free (server->log_path);
  g_free (server);
}

const char *
ferry_test_server_get_host (FerryTestServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  return "127.0.0.1";
}

guint16
ferry_test_server_get_port (FerryTestServer *server)
{
  g_return_val_if_fail (server != NULL, 0);

  return server->port;
}

const char *
ferry_test_server_get_user (FerryTestServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  if (server->kind == FERRY_TEST_SERVER_VSFTPD)
    return "anonymous";

  return "ferry";
}

const char *
ferry_test_server_get_password (FerryTestServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  if (server->kind == FERRY_TEST_SERVER_VSFTPD)
    return "ferry@";

  return "secret";
}

const char *
ferry_test_server_get_root (FerryTestServer *server)
{
  g_return_val_if_fail (server != NULL, NULL);

  return server->root;
}

char *
ferry_test_server_get_url (FerryTestServer *server,
                           const char      *path)
{
  g_autofree char *user = NULL;
  g_autofree char *escaped = NULL;

  g_return_val_if_fail (server != NULL, NULL);

  if (path == NULL)
    path = "/";

  user = g_uri_escape_string (ferry_test_server_get_user (server), NULL, FALSE);
  escaped = g_uri_escape_string (path, "/", FALSE);

  return g_strdup_printf ("ftp://%s@%s:%u%s%s",
                          user,
                          ferry_test_server_get_host (server),
                          (guint) server->port,
                          path[0] == '/' ? "" : "/",
                          escaped);
}

char **
ferry_test_server_get_commands (FerryTestServer *server)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char **lines;
  guint n;

  g_return_val_if_fail (server != NULL, NULL);

  if (server->kind == FERRY_TEST_SERVER_VSFTPD)
    return NULL;

  if (!g_file_get_contents (server->log_path, &contents, NULL, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_warning ("cannot read %s: %s", server->log_path, error->message);
      return g_new0 (char *, 1);
    }

  lines = g_strsplit (contents, "\n", -1);
  /* Drop the empty string after the last "\n". */
  n = g_strv_length (lines);
  if (n > 0 && lines[n - 1][0] == '\0')
    g_clear_pointer (&lines[n - 1], g_free);

  return lines;
}

/* Counts the logged commands that start with @prefix, ignoring case
 * ("REST" counts "REST 0" and "rest 5"). */
guint
ferry_test_server_count_commands (FerryTestServer *server,
                                  const char      *prefix)
{
  g_auto(GStrv) lines = NULL;
  gsize prefix_len;
  guint count = 0;

  g_return_val_if_fail (server != NULL, 0);
  g_return_val_if_fail (prefix != NULL, 0);

  lines = ferry_test_server_get_commands (server);
  if (lines == NULL)
    return 0;

  prefix_len = strlen (prefix);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_ascii_strncasecmp (lines[i], prefix, prefix_len) == 0)
        count++;
    }

  return count;
}

char *
ferry_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *path;

  path = g_dir_make_tmp ("ferry-test-XXXXXX", &error);
  g_assert_no_error (error);

  return path;
}

static void
rm_rf_recursive (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* Tests make read-only folders on purpose: open them up first. */
      if ((st.st_mode & 0700) != 0700)
        g_chmod (path, (st.st_mode & 07777) | 0700);

      dir = g_dir_open (path, 0, NULL);
      if (dir != NULL)
        {
          while ((name = g_dir_read_name (dir)) != NULL)
            {
              g_autofree char *child = g_build_filename (path, name, NULL);

              rm_rf_recursive (child);
            }
        }
      if (g_rmdir (path) != 0 && errno != ENOENT)
        g_warning ("cannot remove %s: %s", path, g_strerror (errno));
    }
  else if (g_unlink (path) != 0 && errno != ENOENT)
    {
      g_warning ("cannot remove %s: %s", path, g_strerror (errno));
    }
}

void
ferry_test_rm_rf (const char *path)
{
  g_autofree char *canonical = NULL;

  g_return_if_fail (path != NULL);

  if (path[0] == '\0')
    {
      g_warning ("ferry_test_rm_rf: refusing to delete an empty path");
      return;
    }

  canonical = g_canonicalize_filename (path, NULL);
  if (strcmp (canonical, "/") == 0 ||
      g_strcmp0 (canonical, g_get_home_dir ()) == 0)
    {
      g_warning ("ferry_test_rm_rf: refusing to delete %s", path);
      return;
    }

  rm_rf_recursive (canonical);
}

/* splitmix64: spreads any seed (even 0) into a non-zero xorshift state. */
static guint64
splitmix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return x ^ (x >> 31);
}

/* Writes @size pseudo-random bytes (xorshift64 from @seed).  The same seed
 * always gives the same stream, so a shorter file is a prefix of a longer
 * one made with the same seed. */
void
ferry_test_write_random_file (const char *path,
                              goffset     size,
                              guint32     seed)
{
  g_autofree guint64 *buffer = NULL;
  guint64 state;
  goffset left = size;
  FILE *file;

  g_return_if_fail (path != NULL);
  g_return_if_fail (size >= 0);

  state = splitmix64 (seed);
  if (state == 0)
    state = 1;

  file = g_fopen (path, "wb");
  if (file == NULL)
    g_error ("cannot create %s: %s", path, g_strerror (errno));

  buffer = g_malloc (RANDOM_BUFFER_SIZE);
  while (left > 0)
    {
      gsize chunk = (gsize) MIN (left, (goffset) RANDOM_BUFFER_SIZE);
      gsize words = (chunk + sizeof (guint64) - 1) / sizeof (guint64);

      for (gsize i = 0; i < words; i++)
        {
          state ^= state << 13;
          state ^= state >> 7;
          state ^= state << 17;
          buffer[i] = GUINT64_TO_LE (state);
        }
      if (fwrite (buffer, 1, chunk, file) != chunk)
        g_error ("cannot write %s: %s", path, g_strerror (errno));
      left -= chunk;
    }

  if (fclose (file) != 0)
    g_error ("cannot write %s: %s", path, g_strerror (errno));
}

/* Returns the lowercase hex SHA-256 of the file, NULL if it cannot be read. */
char *
ferry_test_sha256_file (const char *path)
{
  g_autoptr(GChecksum) checksum = NULL;
  g_autofree guchar *buffer = NULL;
  FILE *file;
  gsize n;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_fopen (path, "rb");
  if (file == NULL)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  buffer = g_malloc (RANDOM_BUFFER_SIZE);
  while ((n = fread (buffer, 1, RANDOM_BUFFER_SIZE, file)) > 0)
    g_checksum_update (checksum, buffer, n);

  if (ferror (file))
    {
      fclose (file);
      return NULL;
    }
  fclose (file);

  return g_strdup (g_checksum_get_string (checksum));
}
