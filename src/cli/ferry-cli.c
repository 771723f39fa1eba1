/* ferry-cli.c: Ferry's engine on the command line
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every call goes through the engine's asynchronous API with the main loop
 * turning underneath (wait_for()), so the CLI runs the very code paths the
 * window does.
 */

#define G_LOG_DOMAIN "ferry-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ferry-ftp.h"

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_INTERRUPTED = 3,
};

typedef enum {
  PROGRESS_AUTO,
  PROGRESS_ALWAYS,
  PROGRESS_NEVER,
} ProgressMode;

static gboolean opt_verbose;
static gboolean opt_password_stdin;
static gboolean opt_resume = TRUE;
static gboolean opt_no_resume;
static gboolean opt_no_reconnect;
static gboolean opt_recursive;
static gboolean opt_overwrite_remote;
static int opt_retries = 10;
static int opt_timeout = 30;
static int opt_parallel = 4;
static char *opt_progress;
static gboolean opt_version;

static ProgressMode progress_mode;
static gboolean interrupted;
static GCancellable *interrupt_cancellable;

static const GOptionEntry entries[] = {
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose,
    N_("Print the protocol dialogue (passwords masked)"), NULL },
  { "password-stdin", 0, 0, G_OPTION_ARG_NONE, &opt_password_stdin,
    N_("Read the password from the first line of standard input"), NULL },
  { "resume", 0, 0, G_OPTION_ARG_NONE, &opt_resume,
    N_("Continue a partial transfer (the default when one exists)"), NULL },
  { "no-resume", 0, 0, G_OPTION_ARG_NONE, &opt_no_resume,
    N_("Start from the first byte even if a partial transfer exists"), NULL },
  { "no-reconnect", 0, 0, G_OPTION_ARG_NONE, &opt_no_reconnect,
    N_("Stop at the first lost connection instead of reconnecting"), NULL },
  { "retries", 0, 0, G_OPTION_ARG_INT, &opt_retries,
    N_("Reconnect at most N times in a row without progress (default 10)"), N_("N") },
  { "timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout,
    N_("Seconds to wait for a reply or for data (default 30)"), N_("S") },
  { "progress", 0, 0, G_OPTION_ARG_STRING, &opt_progress,
    N_("Show a progress bar: auto (on a terminal), always or never"), N_("WHEN") },
  { "recursive", 'r', 0, G_OPTION_ARG_NONE, &opt_recursive,
    N_("get or put whole folders"), NULL },
  { "parallel", 'P', 0, G_OPTION_ARG_INT, &opt_parallel,
    N_("Transfers at once with -r (default 4)"), N_("N") },
  { "overwrite", 0, 0, G_OPTION_ARG_NONE, &opt_overwrite_remote,
    N_("put: upload from the start when the remote file is not ours to append to"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, &opt_version,
    N_("Print the version and exit"), NULL },
  { NULL }
};

static void
print_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
print_error (const char *format,
             ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("ferry-cli: %s\n", text);
}

/* --- the main loop under synchronous-looking code ----------------------- */

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

static GAsyncResult *last_result;

/* The result lives until the next wait, long enough for its _finish(). */
static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_clear_object (&last_result);
  last_result = g_steal_pointer (slot);
  return last_result;
}

static gboolean
sigint_cb (gpointer user_data)
{
  interrupted = TRUE;
  g_cancellable_cancel (interrupt_cancellable);
  return G_SOURCE_CONTINUE;
}

/* --- password ----------------------------------------------------------- */

static char *
read_line (FILE *stream)
{
  char buffer[4096];
  gsize len;

  if (fgets (buffer, sizeof buffer, stream) == NULL)
    return NULL;

  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';

  return g_strdup (buffer);
}

static char *
prompt_password (FerrySite *site)
{
  g_autofree char *name = ferry_site_get_display_name (site);
  struct termios old, quiet;
  char *password;
  FILE *tty = fopen ("/dev/tty", "r+");

  if (tty == NULL)
    return NULL;

  /* Translators: %s is "user@host" */
  fprintf (tty, _("Password for %s: "), name);
  fflush (tty);

  if (tcgetattr (fileno (tty), &old) == 0)
    {
      quiet = old;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (fileno (tty), TCSAFLUSH, &quiet);
    }

  password = read_line (tty);
  tcsetattr (fileno (tty), TCSAFLUSH, &old);
  fprintf (tty, "\n");
  fclose (tty);

  return password;
}

static gboolean
fill_password (FerrySite  *site,
               GError    **error)
{
  g_autofree char *password = NULL;
  const char *env;

  if (opt_password_stdin)
    {
      password = read_line (stdin);
      if (password == NULL)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("--password-stdin was given but standard input is empty"));
          return FALSE;
        }
    }
  else if ((env = g_getenv ("FERRY_PASSWORD")) != NULL)
    password = g_strdup (env);
  else if (ferry_site_get_password (site) != NULL || ferry_site_is_anonymous (site))
    return TRUE;
  else if (isatty (STDIN_FILENO))
    password = prompt_password (site);

  if (password != NULL)
    ferry_site_set_password (site, password);

  return TRUE;
}

/* --- verbose log -------------------------------------------------------- */

static void
log_line_cb (GObject      *object,
             FerryLogKind  kind,
             const char   *text,
             gpointer      user_data)
{
  const char *prefix;

  switch (kind)
    {
    case FERRY_LOG_SENT:
      prefix = "> ";
      break;
    case FERRY_LOG_RECEIVED:
      prefix = "< ";
      break;
    case FERRY_LOG_ERROR:
      prefix = "! ";
      break;
    case FERRY_LOG_INFO:
    default:
      prefix = "* ";
      break;
    }

  g_printerr ("%s%s\n", prefix, text);
}

/* --- progress ----------------------------------------------------------- */

static gboolean
progress_wanted (void)
{
  if (progress_mode == PROGRESS_ALWAYS)
    return TRUE;
  if (progress_mode == PROGRESS_NEVER || opt_verbose)
    return FALSE;
  return isatty (STDERR_FILENO);
}

static char *
format_eta (gint64 seconds)
{
  if (seconds < 0)
    return g_strdup ("--:--");
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%02d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static void
draw_progress (const char *name,
               gint64      done,
               gint64      total,
               double      speed,
               gint64      eta,
               const char *state)
{
  g_autofree char *done_text = g_format_size (done);
  g_autofree char *total_text = total >= 0 ? g_format_size (total) : g_strdup ("?");
  g_autofree char *speed_text = g_format_size ((guint64) speed);
  g_autofree char *eta_text = format_eta (eta);
  char bar[21];
  int percent = total > 0 ? (int) (done * 100 / total) : 0;
  int filled = total > 0 ? (int) (done * 20 / total) : 0;

  for (int i = 0; i < 20; i++)
    bar[i] = i < filled ? '=' : (i == filled ? '>' : ' ');
  bar[20] = '\0';

  g_printerr ("\r\033[K%-20.20s %3d%% [%s] %s / %s  %s/s  %s%s%s", name, percent, bar,
              done_text, total_text, speed_text, eta_text,
              state != NULL ? "  " : "", state != NULL ? state : "");
}

static void
transfer_progress_cb (FerryTransfer *transfer,
                      GParamSpec    *pspec,
                      gpointer       user_data)
{
  FerryTransferState state = ferry_transfer_get_state (transfer);
  const char *extra = NULL;

  if (state == FERRY_TRANSFER_RETRYING || state == FERRY_TRANSFER_CONNECTING ||
      state == FERRY_TRANSFER_VERIFYING)
    extra = ferry_transfer_get_status_text (transfer);

  draw_progress (ferry_transfer_get_name (transfer), ferry_transfer_get_bytes_done (transfer),
                 ferry_transfer_get_total_size (transfer), ferry_transfer_get_speed (transfer),
                 ferry_transfer_get_eta (transfer), extra);
}

static void
queue_progress_cb (FerryQueue *queue,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  g_autofree char *label = g_strdup_printf (_("%u files"), g_list_model_get_n_items (G_LIST_MODEL (queue)));

  draw_progress (label, ferry_queue_get_bytes_done (queue), ferry_queue_get_total_size (queue),
                 ferry_queue_get_speed (queue), ferry_queue_get_eta (queue), NULL);
}

/* --- connecting --------------------------------------------------------- */

static FerrySite *
parse_url (const char  *url,
           char       **path)
{
  g_autoptr(GError) error = NULL;
  FerrySite *site;

  site = ferry_site_new_from_url (url, path, &error);
  if (site == NULL)
    {
      print_error ("%s", error->message);
      return NULL;
    }

  if (!fill_password (site, &error))
    {
      print_error ("%s", error->message);
      g_object_unref (site);
      return NULL;
    }

  return site;
}

static FerryControl *
connect_site (FerrySite *site)
{
  g_autoptr(FerryControl) control = ferry_control_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  ferry_control_set_reply_timeout (control, opt_timeout);
  ferry_control_set_keepalive_interval (control, 0);
  ferry_control_set_log_id (control, "cli");
  if (opt_verbose)
    g_signal_connect (control, "log-line", G_CALLBACK (log_line_cb), NULL);

  ferry_control_connect_async (control, ferry_site_get_host (site), ferry_site_get_port (site),
                               ferry_site_get_user (site), ferry_site_get_password (site),
                               interrupt_cancellable, store_result_cb, &result);
  if (!ferry_control_connect_finish (control, wait_for (&result), &error))
    {
      print_error ("%s", error->message);
      return NULL;
    }

  return g_steal_pointer (&control);
}

static void
close_control (FerryControl *control)
{
  g_autoptr(GAsyncResult) result = NULL;

  ferry_control_close_async (control, NULL, store_result_cb, &result);
  ferry_control_close_finish (control, wait_for (&result), NULL);
}

static GPtrArray *
list_folder (FerryControl  *control,
             const char    *path,
             GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  GPtrArray *files;
  guint n_unsafe = 0;

  ferry_control_list_async (control, path, interrupt_cancellable, store_result_cb, &result);
  files = ferry_control_list_finish (control, wait_for (&result), &n_unsafe, error);

  if (files != NULL && n_unsafe > 0)
    print_error (g_dngettext (NULL, "skipped %u entry in %s whose name is unsafe",
                              "skipped %u entries in %s whose names are unsafe", n_unsafe),
                 n_unsafe, path != NULL && *path != '\0' ? path : "/");

  return files;
}

/* --- ls ----------------------------------------------------------------- */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  FerryRemoteFile *fa = *(FerryRemoteFile **) a;
  FerryRemoteFile *fb = *(FerryRemoteFile **) b;

  return g_strcmp0 (ferry_remote_file_get_name (fa), ferry_remote_file_get_name (fb));
}

static int
command_ls (int    argc,
            char **argv)
{
  g_autoptr(FerrySite) site = NULL;
  g_autoptr(FerryControl) control = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (argc != 1)
    {
      print_error ("%s", _("usage: ferry-cli ls URL"));
      return EXIT_USAGE;
    }

  if ((site = parse_url (argv[0], &path)) == NULL)
    return EXIT_USAGE;
  if ((control = connect_site (site)) == NULL)
    return EXIT_FAILED;

  files = list_folder (control, path, &error);
  if (files == NULL)
    {
      print_error (_("cannot list %s: %s"), *path ? path : "/", error->message);
      return EXIT_FAILED;
    }

  g_ptr_array_sort (files, compare_names);

  for (guint i = 0; i < files->len; i++)
    {
      FerryRemoteFile *file = g_ptr_array_index (files, i);
      FerryFileType type = ferry_remote_file_get_file_type (file);
      GDateTime *modified = ferry_remote_file_get_modified (file);
      g_autofree char *when = modified ? g_date_time_format (modified, "%Y-%m-%d %H:%M") :
                                         g_strdup ("                ");
      g_autofree char *size = ferry_remote_file_get_size (file) >= 0 ?
                              g_strdup_printf ("%" G_GINT64_FORMAT, ferry_remote_file_get_size (file)) :
                              g_strdup ("-");
      const char *link = ferry_remote_file_get_link_target (file);
      char kind = type == FERRY_FILE_TYPE_DIRECTORY ? 'd' : type == FERRY_FILE_TYPE_SYMLINK ? 'l' :
                  type == FERRY_FILE_TYPE_SPECIAL ? 's' : type == FERRY_FILE_TYPE_FILE ? '-' : '?';

      g_print ("%c %14s  %s  %s%s%s%s\n", kind, size, when, ferry_remote_file_get_name (file),
               type == FERRY_FILE_TYPE_DIRECTORY ? "/" : "",
               link != NULL ? " -> " : "", link != NULL ? link : "");
    }

  close_control (control);
  return EXIT_OK;
}

/* --- raw ---------------------------------------------------------------- */

static int
command_raw (int    argc,
             char **argv)
{
  g_autoptr(FerrySite) site = NULL;
  g_autoptr(FerryControl) control = NULL;
  g_autofree char *path = NULL;
  int status = EXIT_OK;

  if (argc < 2)
    {
      print_error ("%s", _("usage: ferry-cli raw URL COMMAND…"));
      return EXIT_USAGE;
    }

  if ((site = parse_url (argv[0], &path)) == NULL)
    return EXIT_USAGE;
  if ((control = connect_site (site)) == NULL)
    return EXIT_FAILED;

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(FerryReply) reply = NULL;
      g_autoptr(GError) error = NULL;
      const char * const *lines;

      ferry_control_send_async (control, argv[i], FERRY_EXPECT_ANY, interrupt_cancellable,
                                store_result_cb, &result);
      reply = ferry_control_send_finish (control, wait_for (&result), &error);
      if (reply == NULL)
        {
          print_error ("%s", error->message);
          return EXIT_FAILED;
        }

      lines = ferry_reply_get_lines (reply);
      for (guint k = 0; lines[k] != NULL; k++)
        {
          g_autofree char *clean = ferry_ftp_sanitize_text (lines[k], -1);
          g_print ("%s\n", clean);
        }

      status = ferry_reply_get_class (reply) >= 4 ? EXIT_FAILED : EXIT_OK;
    }

  close_control (control);
  return status;
}

/* --- transfers ---------------------------------------------------------- */

static void
setup_transfer (FerryTransfer *transfer)
{
  ferry_transfer_set_resume_on_reconnect (transfer, !opt_no_reconnect);
  ferry_transfer_set_retry_limit (transfer, MAX (opt_retries, 0));
  ferry_transfer_set_timeouts (transfer, opt_timeout, opt_timeout);
  ferry_transfer_set_allow_resume (transfer, opt_resume && !opt_no_resume);
  ferry_transfer_set_conflict (transfer, opt_overwrite_remote ? FERRY_CONFLICT_RESTART
                                                              : FERRY_CONFLICT_FAIL);
  if (opt_verbose)
    g_signal_connect (transfer, "log-line", G_CALLBACK (log_line_cb), NULL);
}

static int
exit_for_transfer (FerryTransfer *transfer)
{
  const GError *error = ferry_transfer_get_error (transfer);

  switch (ferry_transfer_get_state (transfer))
    {
    case FERRY_TRANSFER_DONE:
      return EXIT_OK;
    case FERRY_TRANSFER_INTERRUPTED:
    case FERRY_TRANSFER_PAUSED:
      print_error (_("%s interrupted: %s; run the same command again to resume"),
                   ferry_transfer_get_name (transfer),
                   error != NULL ? error->message : _("stopped"));
      return EXIT_INTERRUPTED;
    case FERRY_TRANSFER_QUEUED:
    case FERRY_TRANSFER_CONNECTING:
    case FERRY_TRANSFER_TRANSFERRING:
    case FERRY_TRANSFER_RETRYING:
    case FERRY_TRANSFER_VERIFYING:
    case FERRY_TRANSFER_FAILED:
    case FERRY_TRANSFER_CANCELLED:
    default:
      print_error ("%s: %s", ferry_transfer_get_name (transfer),
                   error != NULL ? error->message : _("failed"));
      return EXIT_FAILED;
    }
}

static int
run_one (FerryTransfer *transfer)
{
  g_autoptr(GAsyncResult) result = NULL;
  gboolean show = progress_wanted ();

  setup_transfer (transfer);
  if (show)
    {
      g_signal_connect (transfer, "notify::bytes-done", G_CALLBACK (transfer_progress_cb), NULL);
      g_signal_connect (transfer, "notify::state", G_CALLBACK (transfer_progress_cb), NULL);
    }

  ferry_transfer_run_async (transfer, interrupt_cancellable, store_result_cb, &result);
  ferry_transfer_run_finish (transfer, wait_for (&result), NULL);

  if (show)
    {
      transfer_progress_cb (transfer, NULL, NULL);
      g_printerr ("\n");
    }

  return exit_for_transfer (transfer);
}

static int
run_queue (FerryQueue *queue)
{
  gboolean show = progress_wanted ();
  gboolean paused_all = FALSE;
  int status = EXIT_OK;
  guint n;

  if (show)
    {
      g_signal_connect (queue, "notify::bytes-done", G_CALLBACK (queue_progress_cb), NULL);
      queue_progress_cb (queue, NULL, NULL);
    }

  /* busy turns FALSE once nothing runs or waits: paused and interrupted
   * transfers wait for the user. */
  while (ferry_queue_get_busy (queue))
    {
      if (interrupted && !paused_all)
        {
          n = g_list_model_get_n_items (G_LIST_MODEL (queue));
          for (guint i = 0; i < n; i++)
            {
              g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (queue), i);
              ferry_transfer_pause (transfer);
            }
          paused_all = TRUE;
        }
      g_main_context_iteration (NULL, TRUE);
    }

  if (show)
    g_printerr ("\n");

  n = g_list_model_get_n_items (G_LIST_MODEL (queue));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (queue), i);
      int one = exit_for_transfer (transfer);

      if (one == EXIT_FAILED || (one == EXIT_INTERRUPTED && status == EXIT_OK))
        status = one;
    }

  return status;
}

static FerryQueue *
new_queue (void)
{
  FerryQueue *queue = ferry_queue_new ();

  ferry_queue_set_max_parallel (queue, CLAMP (opt_parallel, 1, 64));
  ferry_queue_set_resume_on_reconnect (queue, !opt_no_reconnect);
  return queue;
}

/* Walks a remote folder and queues a download for each file, recreating
 * folders below @local_dir.  Names are checked before any becomes a local
 * path, so nothing is written outside @local_dir. */
static gboolean
queue_remote_folder (FerryControl *control,
                     FerrySite    *site,
                     const char   *remote_dir,
                     GFile        *local_dir,
                     FerryQueue   *queue,
                     guint         depth)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  if (depth > 64)
    {
      print_error (_("%s: folders nested too deep; skipped"), remote_dir);
      return FALSE;
    }

  files = list_folder (control, remote_dir, &error);
  if (files == NULL)
    {
      print_error (_("cannot list %s: %s"), remote_dir, error->message);
      return FALSE;
    }

  if (!g_file_make_directory_with_parents (local_dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *where = g_file_get_parse_name (local_dir);
      print_error (_("cannot create %s: %s"), where, error->message);
      return FALSE;
    }

  for (guint i = 0; i < files->len; i++)
    {
      FerryRemoteFile *file = g_ptr_array_index (files, i);
      const char *name = ferry_remote_file_get_name (file);
      g_autofree char *remote = ferry_remote_path_join (remote_dir, name);
      g_autoptr(GFile) local = NULL;

      if (!ferry_listing_name_is_safe (name, -1))
        continue;
      local = g_file_get_child (local_dir, name);

      switch (ferry_remote_file_get_file_type (file))
        {
        case FERRY_FILE_TYPE_DIRECTORY:
          if (!queue_remote_folder (control, site, remote, local, queue, depth + 1))
            return FALSE;
          break;
        case FERRY_FILE_TYPE_FILE:
          {
            g_autoptr(FerryTransfer) transfer = ferry_transfer_new_download (site, remote, local);
            ferry_transfer_set_expected_size (transfer, ferry_remote_file_get_size (file));
            setup_transfer (transfer);
            ferry_queue_add (queue, transfer);
          }
          break;
        case FERRY_FILE_TYPE_SYMLINK:
        case FERRY_FILE_TYPE_SPECIAL:
        case FERRY_FILE_TYPE_UNKNOWN:
        default:
          /* Links may point anywhere, even above the folder: not followed. */
          break;
        }
    }

  return TRUE;
}

static gboolean
is_local_directory (GFile *file)
{
  return g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY;
}

static int
command_get (int    argc,
             char **argv)
{
  g_autoptr(FerrySite) site = NULL;
  g_autoptr(GFile) local = NULL;
  g_autofree char *path = NULL;
  const char *name;

  if (argc < 1 || argc > 2)
    {
      print_error ("%s", _("usage: ferry-cli get URL [LOCAL]"));
      return EXIT_USAGE;
    }

  if ((site = parse_url (argv[0], &path)) == NULL)
    return EXIT_USAGE;

  {
    g_autofree char *trimmed = g_strdup (path);
    gsize len = strlen (trimmed);

    while (len > 1 && trimmed[len - 1] == '/')
      trimmed[--len] = '\0';
    name = ferry_remote_path_basename (path);
    if (*name == '\0')
      {
        g_free (path);
        path = g_steal_pointer (&trimmed);
        name = ferry_remote_path_basename (path);
      }
  }

  if (argc == 2)
    local = g_file_new_for_commandline_arg (argv[1]);

  if (local == NULL || is_local_directory (local))
    {
      g_autoptr(GFile) dir = local != NULL ? g_object_ref (local) : g_file_new_for_path (".");

      /* The name comes from the server: it must stay one plain name. */
      if (!ferry_listing_name_is_safe (name, -1))
        {
          print_error (_("the remote name “%s” cannot be used as a local file name; give LOCAL"),
                       name);
          return EXIT_USAGE;
        }
      g_clear_object (&local);
      local = g_file_get_child (dir, name);
    }

  if (opt_recursive)
    {
      g_autoptr(FerryControl) control = NULL;
      g_autoptr(FerryQueue) queue = new_queue ();

      if ((control = connect_site (site)) == NULL)
        return EXIT_FAILED;
      if (!queue_remote_folder (control, site, path, local, queue, 0))
        return EXIT_FAILED;
      close_control (control);
      return run_queue (queue);
    }

  {
    g_autoptr(FerryTransfer) transfer = ferry_transfer_new_download (site, path, local);
    return run_one (transfer);
  }
}

/* *created: whether the folder is new (257), so empty. */
static gboolean
make_remote_dir (FerryControl *control,
                 const char   *path,
                 gboolean     *created)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  ferry_control_command_async (control, "MKD", path, FERRY_EXPECT_ANY, interrupt_cancellable,
                               store_result_cb, &result);
  reply = ferry_control_command_finish (control, wait_for (&result), &error);
  if (reply == NULL)
    {
      print_error (_("cannot create %s: %s"), path, error->message);
      return FALSE;
    }

  /* 550/521 "exists" is fine: the folder is there either way. */
  *created = ferry_reply_get_code (reply) == 257;
  return TRUE;
}

static gboolean
queue_local_folder (FerryControl *control,
                    FerrySite    *site,
                    GFile        *local_dir,
                    const char   *remote_dir,
                    FerryQueue   *queue,
                    guint         depth)
{
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GError) error = NULL;
  GFileInfo *info;
  gboolean created = FALSE;

  if (depth > 64 || !make_remote_dir (control, remote_dir, &created))
    return FALSE;

  children = g_file_enumerate_children (local_dir,
                                        G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  if (children == NULL)
    {
      print_error ("%s", error->message);
      return FALSE;
    }

  while ((info = g_file_enumerator_next_file (children, NULL, &error)) != NULL)
    {
      g_autoptr(GFileInfo) owned = info;
      const char *name = g_file_info_get_name (info);
      g_autoptr(GFile) child = g_file_get_child (local_dir, name);
      g_autofree char *remote = ferry_remote_path_join (remote_dir, name);

      if (strpbrk (name, "\r\n") != NULL)
        {
          print_error (_("skipped “%s”: the name holds a line break"), name);
          continue;
        }

      switch (g_file_info_get_file_type (info))
        {
        case G_FILE_TYPE_DIRECTORY:
          if (!queue_local_folder (control, site, child, remote, queue, depth + 1))
            return FALSE;
          break;
        case G_FILE_TYPE_REGULAR:
          {
            g_autoptr(FerryTransfer) transfer = ferry_transfer_new_upload (site, child, remote);
            setup_transfer (transfer);
            if (created)
              ferry_transfer_set_remote_absent (transfer);
            ferry_queue_add (queue, transfer);
          }
          break;
        case G_FILE_TYPE_UNKNOWN:
        case G_FILE_TYPE_SYMBOLIC_LINK:
        case G_FILE_TYPE_SPECIAL:
        case G_FILE_TYPE_SHORTCUT:
        case G_FILE_TYPE_MOUNTABLE:
        default:
          break;
        }
    }

  return error == NULL;
}

static int
command_put (int    argc,
             char **argv)
{
  g_autoptr(FerrySite) site = NULL;
  g_autoptr(GFile) local = NULL;
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;

  if (argc != 2)
    {
      print_error ("%s", _("usage: ferry-cli put LOCAL URL"));
      return EXIT_USAGE;
    }

  local = g_file_new_for_commandline_arg (argv[0]);
  if ((site = parse_url (argv[1], &path)) == NULL)
    return EXIT_USAGE;

  base = g_file_get_basename (local);
  if (*path == '\0' || g_str_has_suffix (path, "/"))
    {
      g_autofree char *joined = ferry_remote_path_join (*path ? path : "/", base);
      g_free (path);
      path = g_steal_pointer (&joined);
    }

  if (opt_recursive)
    {
      g_autoptr(FerryControl) control = NULL;
      g_autoptr(FerryQueue) queue = new_queue ();

      if (!is_local_directory (local))
        {
          print_error (_("%s is not a folder"), argv[0]);
          return EXIT_USAGE;
        }
      if ((control = connect_site (site)) == NULL)
        return EXIT_FAILED;
      if (!queue_local_folder (control, site, local, path, queue, 0))
        return EXIT_FAILED;
      close_control (control);
      return run_queue (queue);
    }

  {
    g_autoptr(FerryTransfer) transfer = ferry_transfer_new_upload (site, local, path);
    return run_one (transfer);
  }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  const char *command;
  int status;

  setlocale (LC_ALL, "");
  /* FERRY_LOCALEDIR lets an uninstalled build find its translations. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("FERRY_LOCALEDIR") ? g_getenv ("FERRY_LOCALEDIR")
                                                                : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  context = g_option_context_new (_("COMMAND ARGUMENTS… — move files over FTP, resuming where they stopped"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  summary = g_strdup_printf ("%s\n  ls URL\n  get URL [LOCAL]\n  put LOCAL URL\n  raw URL COMMAND…\n\n%s\n\n%s",
                             _("Commands:"),
                             _("URL is ftp://[user@]host[:port]/path. The password comes from "
                               "--password-stdin, FERRY_PASSWORD, or a prompt; no user means "
                               "anonymous."),
                             _("Exit status: 0 done, 1 failed, 2 usage error, 3 interrupted "
                               "(the partial file is kept: run the same command again to resume)."));
  g_option_context_set_summary (context, summary);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      print_error ("%s", error->message);
      return EXIT_USAGE;
    }

  if (opt_version)
    {
      g_print ("ferry-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  if (opt_progress == NULL || g_str_equal (opt_progress, "auto"))
    progress_mode = PROGRESS_AUTO;
  else if (g_str_equal (opt_progress, "always"))
    progress_mode = PROGRESS_ALWAYS;
  else if (g_str_equal (opt_progress, "never"))
    progress_mode = PROGRESS_NEVER;
  else
    {
      print_error (_("--progress takes auto, always or never, not “%s”"), opt_progress);
      return EXIT_USAGE;
    }

  if (argc < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);
      g_printerr ("%s", help);
      return EXIT_USAGE;
    }

  interrupt_cancellable = g_cancellable_new ();
  g_unix_signal_add (SIGINT, sigint_cb, NULL);
  g_unix_signal_add (SIGTERM, sigint_cb, NULL);

  command = argv[1];
  if (g_str_equal (command, "ls"))
    status = command_ls (argc - 2, argv + 2);
  else if (g_str_equal (command, "get"))
    status = command_get (argc - 2, argv + 2);
  else if (g_str_equal (command, "put"))
    status = command_put (argc - 2, argv + 2);
  else if (g_str_equal (command, "raw"))
    status = command_raw (argc - 2, argv + 2);
  else
    {
      print_error (_("unknown command “%s”; try --help"), command);
      status = EXIT_USAGE;
    }

  g_clear_object (&last_result);
  g_clear_object (&interrupt_cancellable);
  return status;
}
