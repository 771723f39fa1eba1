/* test-hostile.c: FerryControl, listings and the data channel against a
 * hostile or broken server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PROTOCOL.md's "Hostile or broken servers" list, one case each, driven
 * through the fault server: huge and endless replies, unsafe listing
 * names, control characters, CR/LF smuggling, 421 anywhere, data
 * connections that never come, odd greetings and replies out of turn.
 * Every case ends with a precise GError or a sane result, never a hang.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ferry-ftp.h"
#include "ferry-test-util.h"

#define WATCHDOG 30
#define LS_PREFIX "-rw-r--r--   1 ferry    ferry           5 Jan 01  2020 "

typedef struct
{
  char            *root;
  FerryTestServer *server;
  FerryControl    *control;
  GAsyncResult    *result;
  gboolean         have_result;
  GError          *error;
  GError          *closed_error;
  guint            n_closed;
} Fixture;

/* --- fixture ------------------------------------------------------------ */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->root = ferry_test_make_tmpdir ();
}

static void
weak_notify_cb (gpointer  data,
                GObject  *where_the_object_was)
{
  *(gboolean *) data = TRUE;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->result);

  if (f->control != NULL)
    {
      gboolean finalized = FALSE;

      /* Whatever state the server left it in, dropping the connection
       * must free everything: no operation may stay pending. */
      ferry_control_abort (f->control, NULL);
      g_object_weak_ref (G_OBJECT (f->control), weak_notify_cb, &finalized);
      g_clear_object (&f->control);
      ferry_test_wait_for (&finalized, 10);
    }

  g_clear_pointer (&f->server, ferry_test_server_stop);
  ferry_test_rm_rf (f->root);
  g_clear_pointer (&f->root, g_free);
  g_clear_error (&f->error);
  g_clear_error (&f->closed_error);
}

static void
closed_cb (FerryControl *control,
           const GError *error,
           Fixture      *f)
{
  f->n_closed++;
  g_clear_error (&f->closed_error);
  f->closed_error = g_error_copy (error);
}

static gboolean
start_server (Fixture    *f,
              const char *script)
{
  f->server = ferry_test_server_start_or_skip (FERRY_TEST_SERVER_FAULT, f->root, script);
  if (f->server == NULL)
    return FALSE;

  f->control = ferry_control_new ();
  ferry_control_set_reply_timeout (f->control, 3);
  g_signal_connect (f->control, "closed", G_CALLBACK (closed_cb), f);
  return TRUE;
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fixture *f = user_data;

  g_set_object (&f->result, result);
  f->have_result = TRUE;
}

static void
store_other_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_set_object ((GAsyncResult **) user_data, result);
}

/* Turns the main loop until the call made with store_cb reports; the
 * result stays valid until the next call. */
static GAsyncResult *
wait_result (Fixture *f)
{
  ferry_test_wait_for (&f->have_result, WATCHDOG);
  f->have_result = FALSE;
  return f->result;
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Like wait_result(), but FALSE after @seconds instead of failing. */
static gboolean
wait_result_for (Fixture *f,
                 guint    seconds)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (seconds, set_flag_cb, &timed_out);

  while (!f->have_result && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);

  if (!f->have_result)
    return FALSE;
  f->have_result = FALSE;
  return TRUE;
}

static gboolean
connect_control (Fixture *f)
{
  g_clear_error (&f->error);
  ferry_control_connect_async (f->control,
                               ferry_test_server_get_host (f->server),
                               ferry_test_server_get_port (f->server),
                               ferry_test_server_get_user (f->server),
                               ferry_test_server_get_password (f->server),
                               NULL, store_cb, f);
  return ferry_control_connect_finish (f->control, wait_result (f), &f->error);
}

/* Starts the server and logs in; FALSE when the test was skipped. */
static gboolean
start_and_connect (Fixture    *f,
                   const char *script)
{
  if (!start_server (f, script))
    return FALSE;
  connect_control (f);
  g_assert_no_error (f->error);
  g_assert_true (ferry_control_get_connected (f->control));
  return TRUE;
}

/* A harmless command still works: the connection is in a sane state. */
static void
assert_still_works (Fixture *f)
{
  g_autoptr(FerryReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  ferry_control_send_async (f->control, "NOOP", FERRY_EXPECT_2YZ, NULL, store_cb, f);
  reply = ferry_control_send_finish (f->control, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ferry_reply_get_code (reply), ==, 200);
}

static void
assert_server_never_got (Fixture    *f,
                         const char *needle)
{
  g_auto(GStrv) commands = ferry_test_server_get_commands (f->server);

  for (guint i = 0; commands[i] != NULL; i++)
    if (strstr (commands[i], needle) != NULL)
      g_error ("the server got \"%s\", which should never have been sent", commands[i]);
}

static char *
pwd (Fixture  *f,
     GError  **error)
{
  ferry_control_pwd_async (f->control, NULL, store_cb, f);
  return ferry_control_pwd_finish (f->control, wait_result (f), error);
}

static GPtrArray *
list (Fixture    *f,
      const char *path,
      guint      *n_unsafe,
      GError    **error)
{
  ferry_control_list_async (f->control, path, NULL, store_cb, f);
  return ferry_control_list_finish (f->control, wait_result (f), n_unsafe, error);
}

/* Appends @text as a JSON string. */
static void
append_json_string (GString    *json,
                    const char *text)
{
  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (json, "\\%c", c);
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (json, "\\u%04x", c);
      else
        g_string_append_c (json, c);
    }
  g_string_append_c (json, '"');
}

/* --- replies over the cap ----------------------------------------------- */

static void
assert_too_long_and_closed (Fixture *f)
{
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_REPLY_TOO_LONG);
  g_assert_false (ferry_control_get_connected (f->control));
  /* Nothing more goes out on a connection in an unknown state. */
  ferry_control_send_async (f->control, "NOOP", FERRY_EXPECT_2YZ, NULL, store_cb, f);
  g_clear_error (&f->error);
  g_assert_null (ferry_control_send_finish (f->control, wait_result (f), &f->error));
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_CONNECTED);
}

static void
test_too_long_feat (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Replies: cap what one reply may hold (64 KiB); a 70 000 "
                  "byte FEAT is an error and the connection is closed");

  if (!start_server (f, "{\"faults\":[{\"command\":\"FEAT\",\"action\":\"long_reply\","
                        "\"code\":\"211\",\"size\":70000}]}"))
    return;

  g_assert_false (connect_control (f));
  assert_too_long_and_closed (f);
}

static void
test_too_long_greeting (Fixture       *f,
                        gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Replies: an endless greeting (curl CVE-2000-0973) is "
                  "an error, never unbounded memory");

  if (!start_server (f, "{\"faults\":[{\"command\":\"CONNECT\",\"action\":\"long_reply\","
                        "\"style\":\"endless\"}]}"))
    return;

  g_assert_false (connect_control (f));
  assert_too_long_and_closed (f);
  g_assert_cmpuint (ferry_test_server_count_commands (f->server, "USER"), ==, 0);
}

static void
test_too_long_line (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = NULL;

  g_test_summary ("PROTOCOL.md Replies: one 70 000 byte line is over the cap");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"PWD\",\"action\":\"long_reply\","
                             "\"code\":\"257\",\"style\":\"line\",\"size\":70000}]}"))
    return;

  path = pwd (f, &f->error);
  g_assert_null (path);
  g_assert_cmpuint (f->n_closed, ==, 1);
  g_assert_error (f->closed_error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_REPLY_TOO_LONG);
  assert_too_long_and_closed (f);
}

static void
test_too_long_endless (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *path = NULL;

  g_test_summary ("PROTOCOL.md Replies: an endless reply line (curl CVE-2018-1000300) "
                  "is cut at the cap and the connection closed");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"PWD\",\"action\":\"long_reply\","
                             "\"code\":\"257\",\"style\":\"endless\"}]}"))
    return;

  path = pwd (f, &f->error);
  g_assert_null (path);
  assert_too_long_and_closed (f);
}

static void
test_long_but_under_cap (Fixture       *f,
                         gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Replies: a long multi-line reply under the 64 KiB cap is "
                  "still a reply");

  if (!start_server (f, "{\"faults\":[{\"command\":\"FEAT\",\"action\":\"long_reply\","
                        "\"code\":\"211\",\"size\":50000}]}"))
    return;

  g_assert_true (connect_control (f));
  g_assert_no_error (f->error);
  assert_still_works (f);
}

/* --- listings ----------------------------------------------------------- */

static const char *unsafe_ls_names[] = {
  "../x",
  "a/b",
  "..\\..\\win",
  "esc\033[31mred",
  "bell\007",
  "cr\rname",
  "tab\tname",
  "del\177name",
  NULL,
};

static void
assert_names (GPtrArray          *files,
              const char * const *expected)
{
  g_assert_nonnull (files);
  for (guint i = 0; i < files->len; i++)
    {
      const char *name = ferry_remote_file_get_name (files->pdata[i]);

      if (!g_strv_contains (expected, name))
        g_error ("the listing let through \"%s\"", name);
    }
  g_assert_cmpuint (files->len, ==, g_strv_length ((char **) expected));
}

static void
test_listing_unsafe_list (Fixture       *f,
                          gconstpointer  data)
{
  static const char * const expected[] = {
    "good.txt", "gooddir", "link", "with space.txt", NULL
  };
  g_autoptr(GString) script = g_string_new ("{\"features\":[\"EPSV\",\"SIZE\",\"UTF8\"],"
                                            "\"faults\":[{\"command\":\"LIST\","
                                            "\"action\":\"listing\",\"lines\":[");
  g_autofree char *long_name = g_strnfill (2000, 'n');
  g_autofree char *junk = g_strnfill (100000, 'j');
  g_autofree char *long_line = g_strconcat (LS_PREFIX, long_name, NULL);
  g_autoptr(GPtrArray) files = NULL;
  guint n_unsafe = 0;

  g_test_summary ("PROTOCOL.md Hostile servers: LIST names with '/', '..', control "
                  "characters, ESC or CR, and over-long names are dropped and counted; "
                  "the rest is listed");

  append_json_string (script, LS_PREFIX "good.txt");
  g_string_append (script, ",");
  append_json_string (script, "drwxr-xr-x   2 ferry    ferry        4096 Jan 01  2020 gooddir");
  g_string_append (script, ",");
  append_json_string (script, "lrwxrwxrwx   1 ferry    ferry          16 Jan 01  2020 "
                              "link -> ../../etc/passwd");
  g_string_append (script, ",");
  append_json_string (script, LS_PREFIX "with space.txt");
  g_string_append (script, ",");
  append_json_string (script, LS_PREFIX "..");
  for (guint i = 0; unsafe_ls_names[i] != NULL; i++)
    {
      g_autofree char *line = g_strconcat (LS_PREFIX, unsafe_ls_names[i], NULL);

      g_string_append (script, ",");
      append_json_string (script, line);
    }
  g_string_append (script, ",");
  append_json_string (script, long_line);
  g_string_append (script, ",");
  append_json_string (script, junk);
  g_string_append (script, "]}]}");

  if (!start_and_connect (f, script->str))
    return;
  g_assert_false (ferry_control_get_features (f->control) & FERRY_FEATURE_MLSD);

  files = list (f, "/", &n_unsafe, &f->error);

  g_assert_no_error (f->error);
  assert_names (files, expected);
  /* Every hostile name plus the 2000-byte one. */
  g_assert_cmpuint (n_unsafe, ==, g_strv_length ((char **) unsafe_ls_names) + 1);
  assert_still_works (f);
}

static void
test_listing_unsafe_mlsd (Fixture       *f,
                          gconstpointer  data)
{
  static const char * const expected[] = { "good.txt", "sub", NULL };
  g_autoptr(GPtrArray) files = NULL;
  guint n_unsafe = 0;

  g_test_summary ("PROTOCOL.md Hostile servers: MLSD names with '/', '..' or control "
                  "characters are dropped and counted");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"MLSD\",\"action\":\"listing\","
                             "\"lines\":[\"type=file;size=5;modify=20200101000000; good.txt\","
                             "\"type=dir;modify=20200101000000; sub\","
                             "\"type=cdir; .\",\"type=pdir; ..\","
                             "\"type=file;size=5; ../x\",\"type=file;size=5; a/b\","
                             "\"type=dir; sub/../..\",\"type=file;size=1; /etc/passwd\","
                             "\"type=file;size=1; esc\\u001b[2J\","
                             "\"type=file;size=1; nul\\u0000name\","
                             "\"type=file;size=1; cr\\rname\"]}]}"))
    return;
  g_assert_true (ferry_control_get_features (f->control) & FERRY_FEATURE_MLSD);

  files = list (f, "/", &n_unsafe, &f->error);

  g_assert_no_error (f->error);
  assert_names (files, expected);
  g_assert_cmpuint (n_unsafe, ==, 7);
}

static void
listing_order_case (Fixture    *f,
                    const char *action)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[{\"command\":\"MLSD\",\"action\":\"%s\"}]}", action);
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *file = g_build_filename (f->root, "one.txt", NULL);

  g_assert_true (g_file_set_contents (file, "12345", -1, NULL));
  if (!start_and_connect (f, script))
    return;

  files = list (f, "/", NULL, &f->error);

  g_assert_no_error (f->error);
  g_assert_cmpuint (files->len, ==, 1);
  g_assert_cmpstr (ferry_remote_file_get_name (files->pdata[0]), ==, "one.txt");
  g_assert_cmpint (ferry_remote_file_get_size (files->pdata[0]), ==, 5);
  assert_still_works (f);
}

static void
test_listing_skip_150 (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: a listing without the 1yz reply");
  listing_order_case (f, "skip_150");
}

static void
test_listing_early_226 (Fixture       *f,
                        gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: a listing whose 226 comes before "
                  "the data");
  listing_order_case (f, "early_226");
}

static void
test_listing_coalesce (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Passive data channel: a listing whose 150 and 226 come "
                  "in one segment");
  listing_order_case (f, "coalesce_150_226");
}

/* --- control characters and line breaks --------------------------------- */

static void
test_pwd_control_chars (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = NULL;

  g_test_summary ("PROTOCOL.md Hostile servers: PWD replies with control characters "
                  "are an error, not a path");

  if (!start_and_connect (f, (const char *) data))
    return;

  path = pwd (f, &f->error);

  g_assert_null (path);
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  /* The error shows the server's words without the control characters. */
  g_assert_null (strchr (f->error->message, '\033'));
  g_assert_null (strchr (f->error->message, '\001'));
  assert_still_works (f);
}

static void
test_pwd_lf_only (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *path = NULL;

  g_test_summary ("PROTOCOL.md Replies: accept LF-only line ends");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"PWD\",\"action\":\"reply\","
                             "\"raw\":true,\"reply\":\"257-first\\n257 \\\"/lf\\\" is it\\n\"}]}"))
    return;

  path = pwd (f, &f->error);

  g_assert_no_error (f->error);
  g_assert_cmpstr (path, ==, "/lf");
  assert_still_works (f);
}

static void
expect_invalid_command (Fixture *f)
{
  g_autoptr(GAsyncResult) result = g_object_ref (wait_result (f));

  g_clear_error (&f->error);
  if (g_async_result_is_tagged (result, ferry_control_size_async))
    ferry_control_size_finish (f->control, result, &f->error);
  else if (g_async_result_is_tagged (result, ferry_control_mdtm_async))
    ferry_control_mdtm_finish (f->control, result, &f->error);
  else if (g_async_result_is_tagged (result, ferry_control_list_async))
    ferry_control_list_finish (f->control, result, NULL, &f->error);
  else if (g_async_result_is_tagged (result, ferry_control_rename_async))
    ferry_control_rename_finish (f->control, result, &f->error);
  else
    g_assert_null (ferry_control_send_finish (f->control, result, &f->error));
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_INVALID_COMMAND);
}

static void
test_crlf_in_path (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *file = g_build_filename (f->root, "important", NULL);

  g_test_summary ("PROTOCOL.md Hostile servers: CR or LF inside a path the client "
                  "would send: refuse, send nothing (curl tests 225/226)");

  g_assert_true (g_file_set_contents (file, "keep me", -1, NULL));
  if (!start_and_connect (f, NULL))
    return;

  ferry_control_size_async (f->control, "a\r\nDELE important", NULL, store_cb, f);
  expect_invalid_command (f);
  ferry_control_mdtm_async (f->control, "a\nDELE important", NULL, store_cb, f);
  expect_invalid_command (f);
  ferry_control_list_async (f->control, "dir\rDELE important", NULL, store_cb, f);
  expect_invalid_command (f);
  ferry_control_rename_async (f->control, "important", "x\r\nDELE important", NULL,
                              store_cb, f);
  expect_invalid_command (f);
  ferry_control_rename_async (f->control, "imp\nortant", "x", NULL, store_cb, f);
  expect_invalid_command (f);
  ferry_control_send_async (f->control, "NOOP\r\nDELE important", FERRY_EXPECT_ANY, NULL,
                            store_cb, f);
  expect_invalid_command (f);
  ferry_control_command_async (f->control, "CWD", "/\nDELE important", FERRY_EXPECT_ANY, NULL,
                               store_cb, f);
  expect_invalid_command (f);

  assert_still_works (f);
  assert_server_never_got (f, "DELE");
  assert_server_never_got (f, "SIZE");
  assert_server_never_got (f, "MDTM");
  assert_server_never_got (f, "RNFR");
  assert_server_never_got (f, "RNTO");
  assert_server_never_got (f, "CWD");
  g_assert_cmpuint (ferry_test_server_count_commands (f->server, "EPSV"), ==, 0);
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
}

/* --- 421 ---------------------------------------------------------------- */

static void
test_421_at_command (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = NULL;

  g_test_summary ("PROTOCOL.md Replies: 421 means the server is closing the control "
                  "connection: FERRY_FTP_ERROR_CLOSED with the server's text");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"PWD\",\"action\":\"close\","
                             "\"reply\":\"421 Shutting down for maintenance\"}]}"))
    return;

  path = pwd (f, &f->error);

  g_assert_null (path);
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_CLOSED);
  g_assert_nonnull (strstr (f->error->message, "Shutting down for maintenance"));
  g_assert_cmpuint (f->n_closed, ==, 1);
  g_assert_error (f->closed_error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_CLOSED);
  g_assert_false (ferry_control_get_connected (f->control));
  g_assert_true (ferry_ftp_error_is_transient (f->error));
}

static void
test_421_unasked (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_test_summary ("PROTOCOL.md Replies: a 421 may come as the answer to anything, even "
                  "a command that expects no error (NOOP)");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"NOOP\",\"action\":\"close\","
                             "\"reply\":\"421 Idle too long\"}]}"))
    return;

  /* NOOP accepts any reply class, yet 421 still closes. */
  ferry_control_send_async (f->control, "NOOP", FERRY_EXPECT_ANY, NULL, store_cb, f);
  g_assert_null (ferry_control_send_finish (f->control, wait_result (f), &f->error));
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_CLOSED);
  g_assert_nonnull (strstr (f->error->message, "Idle too long"));

  path = pwd (f, &error);
  g_assert_error (error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_NOT_CONNECTED);
}

static void
test_421_at_list (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) files = NULL;

  g_test_summary ("PROTOCOL.md Replies: 421 in answer to a listing command");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"MLSD\",\"action\":\"close\","
                             "\"reply\":\"421 Too many connections\"}]}"))
    return;

  files = list (f, "/", NULL, &f->error);

  g_assert_null (files);
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_CLOSED);
  g_assert_nonnull (strstr (f->error->message, "Too many connections"));
}

static void
test_421_greeting (Fixture       *f,
                   gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Replies: a 421 greeting is a closed connection with the "
                  "server's reason, and nothing is sent");

  if (!start_server (f, "{\"faults\":[{\"command\":\"CONNECT\",\"action\":\"close\","
                        "\"reply\":\"421 Too many users from your address\"}]}"))
    return;

  g_assert_false (connect_control (f));
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_CLOSED);
  g_assert_nonnull (strstr (f->error->message, "Too many users from your address"));
  g_assert_false (ferry_control_get_connected (f->control));
  g_assert_cmpuint (ferry_test_server_count_commands (f->server, "USER"), ==, 0);
}

static void
test_greeting_dropped (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Replies: a server that hangs up before greeting gives a "
                  "closed-connection error");

  if (!start_server (f, "{\"faults\":[{\"command\":\"CONNECT\",\"action\":\"drop\"}]}"))
    return;

  g_assert_false (connect_control (f));
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_CLOSED);
}

static void
test_greeting_silent (Fixture       *f,
                      gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: a server that never greets is a "
                  "timeout, not a hang");

  if (!start_server (f, "{\"faults\":[{\"command\":\"CONNECT\",\"action\":\"no_reply\"}]}"))
    return;
  ferry_control_set_reply_timeout (f->control, 1);

  g_assert_false (connect_control (f));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

/* --- greetings and replies out of turn ---------------------------------- */

static void
test_greeting_multiline (Fixture       *f,
                         gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Replies: any reply may be multi-line, the greeting "
                  "too, with lines in between that start with digits");

  if (!start_server (f, (const char *) data))
    return;

  g_assert_true (connect_control (f));
  g_assert_no_error (f->error);
  assert_still_works (f);
  g_assert_cmpuint (ferry_test_server_count_commands (f->server, "USER"), ==, 1);
}

static void
test_reply_out_of_turn_idle (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = g_build_filename (f->root, "five.txt", NULL);
  gint64 size;

  g_test_summary ("PROTOCOL.md Replies: a reply nobody asked for (an extra one after "
                  "PWD's) is logged and ignored, not handed to the next command");

  g_assert_true (g_file_set_contents (file, "12345", -1, NULL));
  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"PWD\",\"action\":\"reply\","
                             "\"reply\":\"257 \\\"/\\\" is current\\n200 Something else\"}]}"))
    return;

  path = pwd (f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/");

  /* Give the stray reply time to arrive while nothing waits. */
  ferry_control_send_async (f->control, "NOOP", FERRY_EXPECT_2YZ, NULL, store_cb, f);
  g_clear_pointer (&path, g_free);
  {
    g_autoptr(FerryReply) reply = ferry_control_send_finish (f->control, wait_result (f), &error);
    g_assert_no_error (error);
  }

  ferry_control_size_async (f->control, "five.txt", NULL, store_cb, f);
  size = ferry_control_size_finish (f->control, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpint (size, ==, 5);
}

static void
test_reply_out_of_turn_pipelined (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) pwd_result = NULL;
  g_autofree char *path = NULL;
  g_autofree char *file = g_build_filename (f->root, "five.txt", NULL);
  gint64 size;

  g_test_summary ("PROTOCOL.md Replies: a stray reply that arrives together with the "
                  "previous command's must not become the answer to the next command");

  g_assert_true (g_file_set_contents (file, "12345", -1, NULL));
  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"PWD\",\"action\":\"reply\","
                             "\"reply\":\"257 \\\"/\\\" is current\\n213 999\"}]}"))
    return;

  /* SIZE is queued while PWD is in flight, so it goes out as soon as the
   * 257 is read, with the stray 213 right behind it in the same read. */
  ferry_control_pwd_async (f->control, NULL, store_other_cb, &pwd_result);
  ferry_control_size_async (f->control, "five.txt", NULL, store_cb, f);
  size = ferry_control_size_finish (f->control, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_nonnull (pwd_result);
  path = ferry_control_pwd_finish (f->control, pwd_result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "/");

  if (size == 999)
    {
      g_test_incomplete ("ferry-control.c hands a reply that arrived before SIZE was sent "
                         "to SIZE (ferry_control_dispatch: self->current is set by "
                         "run_next while the read loop still holds the stray reply)");
      return;
    }
  g_assert_cmpint (size, ==, 5);
}

/* --- the data channel ---------------------------------------------------- */

static void
test_data_425 (Fixture       *f,
               gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: data connection never opened (425) is "
                  "a transient error");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"MLSD\",\"action\":\"reply\","
                             "\"reply\":\"425 Can't open data connection\"}]}"))
    return;

  g_assert_null (list (f, "/", NULL, &f->error));
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_TRANSIENT);
  g_assert_nonnull (strstr (f->error->message, "425"));
  assert_still_works (f);
}

static void
test_data_no_listener (Fixture       *f,
                       gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: an EPSV port where nobody listens is a "
                  "transient error, quickly");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"EPSV\",\"action\":\"reply\","
                             "\"reply\":\"229 Entering Extended Passive Mode (|||1|)\"}]}"))
    return;

  g_assert_null (list (f, "/", NULL, &f->error));
  g_assert_true (ferry_ftp_error_is_transient (f->error));
  assert_still_works (f);
}

static void
test_data_no_reply (Fixture       *f,
                    gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: no reply to the listing command is a "
                  "timeout error, not a hang");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"MLSD\",\"action\":\"no_reply\"}]}"))
    return;

  g_assert_null (list (f, "/", NULL, &f->error));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static void
test_data_stall_after_150 (Fixture       *f,
                           gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: 150 then silence on a listing is a "
                  "timeout error, not a hang");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"MLSD\",\"action\":\"stall\","
                             "\"after_bytes\":0}]}"))
    return;

  ferry_control_set_reply_timeout (f->control, 1);
  ferry_control_list_async (f->control, "/", NULL, store_cb, f);
  g_assert_true (wait_result_for (f, 4));

  g_assert_null (ferry_control_list_finish (f->control, f->result, NULL, &f->error));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static void
test_data_stall_mid_listing (Fixture       *f,
                             gconstpointer  data)
{
  g_test_summary ("PROTOCOL.md Hostile servers: a listing that stalls half way is a "
                  "timeout error, not a hang");

  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"MLSD\",\"action\":\"stall\","
                             "\"after_bytes\":10}]}"))
    return;
  {
    g_autofree char *file = g_build_filename (f->root, "some-file.txt", NULL);
    g_assert_true (g_file_set_contents (file, "12345", -1, NULL));
  }

  ferry_control_set_reply_timeout (f->control, 1);
  ferry_control_list_async (f->control, "/", NULL, store_cb, f);
  g_assert_true (wait_result_for (f, 4));

  g_assert_null (ferry_control_list_finish (f->control, f->result, NULL, &f->error));
  g_assert_error (f->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static void
test_data_reset_listing (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *file = g_build_filename (f->root, "some-file.txt", NULL);

  g_test_summary ("PROTOCOL.md Passive data channel: a listing cut by a reset and a 426 "
                  "is an error, never a short listing");

  g_assert_true (g_file_set_contents (file, "12345", -1, NULL));
  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"MLSD\",\"action\":\"reset_data\","
                             "\"after_bytes\":10}]}"))
    return;

  g_assert_null (list (f, "/", NULL, &f->error));
  g_assert_true (ferry_ftp_error_is_transient (f->error));
}

static void
test_data_reset_lying_226 (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *file = g_build_filename (f->root, "some-file.txt", NULL);

  g_test_summary ("PROTOCOL.md Passive data channel: a reset listing followed by a "
                  "lying 226 is still an error");

  g_assert_true (g_file_set_contents (file, "12345", -1, NULL));
  if (!start_and_connect (f, "{\"faults\":[{\"command\":\"MLSD\",\"action\":\"reset_data\","
                             "\"after_bytes\":10,\"final_reply\":\"226 Done\"}]}"))
    return;

  g_assert_null (list (f, "/", NULL, &f->error));
  g_assert_true (ferry_ftp_error_is_transient (f->error));
}

/* --- passive mode replies ----------------------------------------------- */

#define NO_EPSV "{\"command\":\"EPSV\",\"every\":true,\"action\":\"reply\"," \
                "\"reply\":\"502 No EPSV\"}"

static void
test_pasv_bad_octet (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[" NO_EPSV ",{\"command\":\"PASV\",\"action\":\"reply\","
                     "\"reply\":\"%s\"}]}", (const char *) data);

  g_test_summary ("PROTOCOL.md Passive data channel: reject octets > 255 and port 0: "
                  "a clear BAD_REPLY error, no crash, no connection attempt");

  if (!start_and_connect (f, script))
    return;

  g_assert_null (list (f, "/", NULL, &f->error));
  g_assert_error (f->error, FERRY_FTP_ERROR, FERRY_FTP_ERROR_BAD_REPLY);
  assert_server_never_got (f, "MLSD");
  assert_still_works (f);
}

static void
test_pasv_ignore_address (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GPtrArray) files = NULL;
  g_autofree char *file = g_build_filename (f->root, "one.txt", NULL);
  gint64 start = g_get_monotonic_time ();

  g_test_summary ("PROTOCOL.md Passive data channel: connect to the control "
                  "connection's peer, not the 227's address (curl CVE-2020-8284)");

  g_assert_true (g_file_set_contents (file, "1", -1, NULL));
  if (!start_and_connect (f, "{\"faults\":[" NO_EPSV ",{\"command\":\"PASV\",\"every\":true,"
                             "\"action\":\"pasv_address\",\"address\":\"10.99.99.99\"}]}"))
    return;

  files = list (f, "/", NULL, &f->error);

  g_assert_no_error (f->error);
  g_assert_cmpuint (files->len, ==, 1);
  /* A connection attempt to 10.99.99.99 would have waited for the timeout. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_epsv_bad_port (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[{\"command\":\"EPSV\",\"every\":true,\"action\":\"reply\","
                     "\"reply\":\"%s\"}]}", (const char *) data);
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) again = NULL;

  g_test_summary ("PROTOCOL.md Passive data channel: an EPSV port of 0 or > 65535 is "
                  "rejected; Ferry falls back to PASV and remembers it");

  if (!start_and_connect (f, script))
    return;

  files = list (f, "/", NULL, &f->error);
  g_assert_no_error (f->error);
  g_assert_true (ferry_control_get_features (f->control) & FERRY_FEATURE_BROKEN_EPSV);

  again = list (f, "/", NULL, &f->error);
  g_assert_no_error (f->error);
  g_assert_cmpuint (ferry_test_server_count_commands (f->server, "EPSV"), ==, 1);
  g_assert_cmpuint (ferry_test_server_count_commands (f->server, "PASV"), ==, 2);
}

/* --- SIZE and MDTM ------------------------------------------------------ */

static void
test_size_junk (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[{\"command\":\"SIZE\",\"action\":\"reply\","
                     "\"reply\":\"%s\"}]}", (const char *) data);
  g_autoptr(GError) error = NULL;
  gint64 size;

  g_test_summary ("PROTOCOL.md Resume: parse SIZE strictly; text around the number or "
                  "an overflow → size unknown (-1), not an error");

  if (!start_and_connect (f, script))
    return;

  ferry_control_size_async (f->control, "x", NULL, store_cb, f);
  size = ferry_control_size_finish (f->control, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_cmpint (size, ==, -1);
  assert_still_works (f);
}

static void
test_mdtm_malformed (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *script =
    g_strdup_printf ("{\"faults\":[{\"command\":\"MDTM\",\"action\":\"reply\","
                     "\"reply\":\"%s\"}]}", (const char *) data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) time = NULL;

  g_test_summary ("PROTOCOL.md Hostile servers: malformed MDTM → ignore the time");

  if (!start_and_connect (f, script))
    return;

  ferry_control_mdtm_async (f->control, "x", NULL, store_cb, f);
  time = ferry_control_mdtm_finish (f->control, wait_result (f), &error);
  g_assert_no_error (error);
  g_assert_null (time);
  assert_still_works (f);
}

/* --- main --------------------------------------------------------------- */

#define ADD(path, func, data) \
  g_test_add ("/ftp/hostile/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  ADD ("reply-too-long/feat", test_too_long_feat, NULL);
  ADD ("reply-too-long/greeting", test_too_long_greeting, NULL);
  ADD ("reply-too-long/line", test_too_long_line, NULL);
  ADD ("reply-too-long/endless", test_too_long_endless, NULL);
  ADD ("reply-too-long/under-cap", test_long_but_under_cap, NULL);
  ADD ("listing/unsafe-list", test_listing_unsafe_list, NULL);
  ADD ("listing/unsafe-mlsd", test_listing_unsafe_mlsd, NULL);
  ADD ("listing/skip-150", test_listing_skip_150, NULL);
  ADD ("listing/early-226", test_listing_early_226, NULL);
  ADD ("listing/coalesce-150-226", test_listing_coalesce, NULL);
  ADD ("pwd/control-chars", test_pwd_control_chars,
       "{\"faults\":[{\"command\":\"PWD\",\"action\":\"reply\","
       "\"reply\":\"257 \\\"/a\\u0001b\\\" is current\"}]}");
  ADD ("pwd/escape", test_pwd_control_chars,
       "{\"faults\":[{\"command\":\"PWD\",\"action\":\"reply\","
       "\"reply\":\"257 \\\"/\\u001b[2J\\u001b]0;owned\\u0007\\\" is current\"}]}");
  ADD ("pwd/lf-only", test_pwd_lf_only, NULL);
  ADD ("crlf-in-path", test_crlf_in_path, NULL);
  ADD ("421/at-command", test_421_at_command, NULL);
  ADD ("421/unasked", test_421_unasked, NULL);
  ADD ("421/at-list", test_421_at_list, NULL);
  ADD ("421/greeting", test_421_greeting, NULL);
  ADD ("greeting/dropped", test_greeting_dropped, NULL);
  ADD ("greeting/silent", test_greeting_silent, NULL);
  ADD ("greeting/multiline", test_greeting_multiline,
       "{\"faults\":[{\"command\":\"CONNECT\",\"action\":\"reply\","
       "\"reply\":\"220-Hello\\n220-world\\n220 Ready\"}]}");
  ADD ("greeting/multiline-digits", test_greeting_multiline,
       "{\"faults\":[{\"command\":\"CONNECT\",\"action\":\"reply\","
       "\"reply\":\"220-Welcome\\n230 is not the end\\n220-still not\\n 220 nor this\\n"
       "220 Ready\"}]}");
  ADD ("greeting/120-first", test_greeting_multiline,
       "{\"faults\":[{\"command\":\"CONNECT\",\"action\":\"reply\","
       "\"reply\":\"120 Ready in a moment\\n220 Ready\"}]}");
  ADD ("out-of-turn/idle", test_reply_out_of_turn_idle, NULL);
  ADD ("out-of-turn/pipelined", test_reply_out_of_turn_pipelined, NULL);
  ADD ("data/425", test_data_425, NULL);
  ADD ("data/no-listener", test_data_no_listener, NULL);
  ADD ("data/no-reply", test_data_no_reply, NULL);
  ADD ("data/stall-after-150", test_data_stall_after_150, NULL);
  ADD ("data/stall-mid-listing", test_data_stall_mid_listing, NULL);
  ADD ("data/reset", test_data_reset_listing, NULL);
  ADD ("data/reset-lying-226", test_data_reset_lying_226, NULL);
  ADD ("pasv/octet-over-255", test_pasv_bad_octet,
       "227 Entering Passive Mode (127,0,0,300,4,1)");
  ADD ("pasv/port-over-255", test_pasv_bad_octet,
       "227 Entering Passive Mode (127,0,0,1,256,1)");
  ADD ("pasv/port-0", test_pasv_bad_octet, "227 Entering Passive Mode (127,0,0,1,0,0)");
  ADD ("pasv/no-numbers", test_pasv_bad_octet, "227 Entering Passive Mode");
  ADD ("pasv/ignore-address", test_pasv_ignore_address, NULL);
  ADD ("epsv/port-0", test_epsv_bad_port, "229 Entering Extended Passive Mode (|||0|)");
  ADD ("epsv/port-70000", test_epsv_bad_port,
       "229 Entering Extended Passive Mode (|||70000|)");
  ADD ("epsv/garbage", test_epsv_bad_port, "229 Entering Extended Passive Mode (|||x|)");
  ADD ("size/text-around", test_size_junk, "213 about 12 bytes");
  ADD ("size/overflow", test_size_junk, "213 99999999999999999999999");
  ADD ("size/negative", test_size_junk, "213 -5");
  ADD ("mdtm/month-13", test_mdtm_malformed, "213 20231399999999");
  ADD ("mdtm/words", test_mdtm_malformed, "213 Tue Nov 14 12:00:00 2023");
  ADD ("mdtm/19100", test_mdtm_malformed, "213 19100101120000");

  return g_test_run ();
}
