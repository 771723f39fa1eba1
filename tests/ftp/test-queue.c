/* test-queue.c: FerryQueue's running sums and scheduling, against real servers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The queue keeps its totals by difference, reading only the transfers that
 * told a change.  Every time it tells a total, these tests compute it again
 * the slow way, over all the items of the list model, and want the same
 * number.  Debian's pyftpdlib and Ferry's own fault server (for a slow
 * file), started on loopback for each test.
 */

#include "config.h"

#include <string.h>

#include "ferry-ftp.h"
#include "ferry-test-util.h"

#define N_SMALL       300
#define N_MIXED       40
#define SLOW_SIZE     (1536 * 1024)  /* 6 s at SLOW_RATE: time to pause it */
#define SLOW_RATE     262144  /* 256 KiB/s, spelled out for the JSON */

typedef struct
{
  gint64   total_size;
  gint64   bytes_done;
  double   speed;
  guint    n_active;
  gboolean busy;
} Totals;

typedef struct
{
  FerryTestServer *server;
  FerrySite       *site;
  FerryQueue      *queue;
  char            *root;
  char            *local;

  /* What the queue told last, property by property */
  Totals           told;
  guint            limit;        /* n-active must stay at or below it */
  guint            max_active;
  double           max_speed;
  guint            n_checks;
  GArray          *busy_changes; /* of gboolean */
  gboolean         idle;         /* busy was told FALSE */
} Fixture;

/* --- the slow way ------------------------------------------------------- */

static gboolean
holds_slot (FerryTransferState state)
{
  return state == FERRY_TRANSFER_CONNECTING || state == FERRY_TRANSFER_TRANSFERRING ||
         state == FERRY_TRANSFER_VERIFYING || state == FERRY_TRANSFER_RETRYING;
}

/* The totals as ferry-queue.c documents them, from every item. */
static void
recompute (FerryQueue *queue,
           Totals     *totals)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (queue));

  memset (totals, 0, sizeof *totals);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (queue), i);
      FerryTransferState state = ferry_transfer_get_state (transfer);
      gint64 size = ferry_transfer_get_total_size (transfer);

      if (holds_slot (state))
        totals->n_active++;
      if (state == FERRY_TRANSFER_CANCELLED || state == FERRY_TRANSFER_FAILED)
        continue;
      if (state == FERRY_TRANSFER_QUEUED || holds_slot (state))
        totals->busy = TRUE;
      if (size > 0)
        totals->total_size += size;
      if (state == FERRY_TRANSFER_DONE && size > 0)
        totals->bytes_done += size;
      else
        totals->bytes_done += ferry_transfer_get_bytes_done (transfer);
      totals->speed += ferry_transfer_get_speed (transfer);
    }
}

/* The queue's properties now equal the slow way's, and the derived ones
 * follow from them. */
static void
assert_consistent (FerryQueue *queue)
{
  Totals want;
  gint64 total = ferry_queue_get_total_size (queue);
  gint64 done = ferry_queue_get_bytes_done (queue);
  double speed = ferry_queue_get_speed (queue);
  double fraction = total > 0 ? CLAMP ((double) done / total, 0, 1) : 0;

  recompute (queue, &want);
  g_assert_cmpint (total, ==, want.total_size);
  g_assert_cmpint (done, ==, want.bytes_done);
  g_assert_cmpuint (ferry_queue_get_n_active (queue), ==, want.n_active);
  g_assert_cmpint (ferry_queue_get_busy (queue), ==, want.busy);
  /* Summed in another order: equal up to rounding, and exactly 0 when
   * nothing moves. */
  if (want.speed == 0)
    g_assert_cmpfloat (speed, ==, 0.0);
  else
    g_assert_cmpfloat_with_epsilon (speed, want.speed, want.speed * 1e-9);
  g_assert_cmpfloat (ferry_queue_get_fraction (queue), ==, fraction);
  if (speed <= 0 || total <= done)
    g_assert_cmpint (ferry_queue_get_eta (queue), ==, -1);
  else
    g_assert_cmpint (ferry_queue_get_eta (queue), ==, (gint64) ((total - done) / speed + 0.5));
}

/* Every notification is checked: the value changed since the last one,
 * and it matches the slow way. */
static void
queue_notify_cb (FerryQueue *queue,
                 GParamSpec *pspec,
                 Fixture    *f)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "n-active"))
    {
      guint active = ferry_queue_get_n_active (queue);
      Totals want;

      /* Told from the scheduler, before the sums are: only this one. */
      recompute (queue, &want);
      g_assert_cmpuint (active, !=, f->told.n_active);
      g_assert_cmpuint (active, ==, want.n_active);
      if (f->limit > 0)
        g_assert_cmpuint (active, <=, f->limit);
      f->told.n_active = active;
      f->max_active = MAX (f->max_active, active);
      f->n_checks++;
      return;
    }

  if (g_str_equal (name, "total-size"))
    {
      g_assert_cmpint (ferry_queue_get_total_size (queue), !=, f->told.total_size);
      f->told.total_size = ferry_queue_get_total_size (queue);
    }
  else if (g_str_equal (name, "bytes-done"))
    {
      g_assert_cmpint (ferry_queue_get_bytes_done (queue), !=, f->told.bytes_done);
      f->told.bytes_done = ferry_queue_get_bytes_done (queue);
    }
  else if (g_str_equal (name, "speed"))
    {
      g_assert_cmpfloat (ferry_queue_get_speed (queue), !=, f->told.speed);
      f->told.speed = ferry_queue_get_speed (queue);
      f->max_speed = MAX (f->max_speed, f->told.speed);
    }
  else if (g_str_equal (name, "busy"))
    {
      gboolean busy = ferry_queue_get_busy (queue);

      g_assert_cmpint (busy, !=, f->told.busy);
      f->told.busy = busy;
      g_array_append_val (f->busy_changes, busy);
      if (!busy)
        f->idle = TRUE;
    }
  else if (!g_str_equal (name, "fraction") && !g_str_equal (name, "eta"))
    return;

  assert_consistent (queue);
  f->n_checks++;
}

/* Nothing changed without being told. */
static void
assert_told (Fixture *f)
{
  g_assert_cmpint (f->told.total_size, ==, ferry_queue_get_total_size (f->queue));
  g_assert_cmpint (f->told.bytes_done, ==, ferry_queue_get_bytes_done (f->queue));
  g_assert_cmpfloat (f->told.speed, ==, ferry_queue_get_speed (f->queue));
  g_assert_cmpuint (f->told.n_active, ==, ferry_queue_get_n_active (f->queue));
  g_assert_cmpint (f->told.busy, ==, ferry_queue_get_busy (f->queue));
}

/* --- fixture ------------------------------------------------------------ */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->root = ferry_test_make_tmpdir ();
  f->local = ferry_test_make_tmpdir ();
  f->busy_changes = g_array_new (FALSE, FALSE, sizeof (gboolean));
  f->queue = ferry_queue_new ();
  g_signal_connect (f->queue, "notify", G_CALLBACK (queue_notify_cb), f);
}

/* FALSE (and the test skipped) where the server cannot run. */
static gboolean
start_server (Fixture             *f,
              FerryTestServerKind  kind,
              const char          *script)
{
  f->server = ferry_test_server_start_or_skip (kind, f->root, script);
  if (f->server == NULL)
    return FALSE;

  f->site = ferry_test_server_new_site (f->server);
  return TRUE;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->queue != NULL)
    {
      g_signal_handlers_disconnect_by_data (f->queue, f);
      g_object_run_dispose (G_OBJECT (f->queue));
      /* Let closing connections report back. */
      while (g_main_context_pending (NULL))
        g_main_context_iteration (NULL, FALSE);
      g_clear_object (&f->queue);
    }
  g_clear_object (&f->site);
  g_clear_pointer (&f->server, ferry_test_server_stop);
  ferry_test_rm_rf (f->root);
  ferry_test_rm_rf (f->local);
  g_clear_pointer (&f->root, g_free);
  g_clear_pointer (&f->local, g_free);
  g_clear_pointer (&f->busy_changes, g_array_unref);
}

/* --- helpers ------------------------------------------------------------ */

static goffset
small_size (guint i)
{
  /* 1 byte to 8 KiB, and a few empty files. */
  return i % 50 == 7 ? 0 : 1 + (i * 2654435761u) % (8 * 1024);
}

static char *
small_name (guint i)
{
  return g_strdup_printf ("small%03u.bin", i);
}

static FerryTransfer *
add_download (Fixture    *f,
              const char *name)
{
  g_autofree char *remote = g_strconcat ("/", name, NULL);
  g_autofree char *path = g_build_filename (f->local, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(FerryTransfer) transfer = ferry_transfer_new_download (f->site, remote, file);

  ferry_transfer_set_retry_delays (transfer, 1, 1);
  ferry_transfer_set_timeouts (transfer, 10, 10);
  ferry_queue_add (f->queue, transfer);
  /* The queue holds it from now on. */
  return transfer;
}

static void
assert_same_file (Fixture    *f,
                  const char *name)
{
  g_autofree char *remote = g_build_filename (f->root, name, NULL);
  g_autofree char *local = g_build_filename (f->local, name, NULL);
  g_autofree char *a = ferry_test_sha256_file (remote);
  g_autofree char *b = ferry_test_sha256_file (local);

  g_assert_nonnull (a);
  g_assert_cmpstr (a, ==, b);
}

static void
wait_idle (Fixture *f,
           guint    seconds)
{
  f->idle = FALSE;
  ferry_test_wait_for (&f->idle, seconds);
}

static void
state_reached_cb (FerryTransfer *transfer,
                  GParamSpec    *pspec,
                  gboolean      *reached)
{
  FerryTransferState state = ferry_transfer_get_state (transfer);

  if (state == FERRY_TRANSFER_TRANSFERRING || ferry_transfer_is_finished (transfer))
    *reached = TRUE;
}

static void
speed_seen_cb (FerryQueue *queue,
               GParamSpec *pspec,
               gboolean   *seen)
{
  if (ferry_queue_get_speed (queue) > 0)
    *seen = TRUE;
}

static void
state_stopped_cb (FerryTransfer *transfer,
                  GParamSpec    *pspec,
                  gboolean      *stopped)
{
  FerryTransferState state = ferry_transfer_get_state (transfer);

  if (state == FERRY_TRANSFER_PAUSED || ferry_transfer_is_finished (transfer))
    *stopped = TRUE;
}

/* --- tests -------------------------------------------------------------- */

static void
test_many_small (Fixture       *f,
                 gconstpointer  data)
{
  gint64 sum = 0;

  g_test_summary ("300 small files through a queue of 3: n-active stays at or below 3, "
                  "the totals match a recount at every notification and end exact");

  for (guint i = 0; i < N_SMALL; i++)
    {
      g_autofree char *name = small_name (i);
      g_autofree char *path = g_build_filename (f->root, name, NULL);

      ferry_test_write_random_file (path, small_size (i), i + 1);
      sum += small_size (i);
    }

  if (!start_server (f, FERRY_TEST_SERVER_PYFTPDLIB, NULL))
    return;

  f->limit = 3;
  ferry_queue_set_max_parallel (f->queue, 3);

  for (guint i = 0; i < N_SMALL; i++)
    {
      g_autofree char *name = small_name (i);

      add_download (f, name);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, i + 1);
      /* Adding starts at once what fits; ferry-cli counts on busy being
       * TRUE right after. */
      g_assert_true (ferry_queue_get_busy (f->queue));
      g_assert_cmpuint (ferry_queue_get_n_active (f->queue), ==, MIN (i + 1, 3));
    }

  wait_idle (f, 120);

  /* busy went TRUE once, with the first add, and FALSE once, at the end. */
  g_assert_cmpuint (f->busy_changes->len, ==, 2);
  g_assert_true (g_array_index (f->busy_changes, gboolean, 0));
  g_assert_false (g_array_index (f->busy_changes, gboolean, 1));

  g_assert_cmpuint (f->max_active, ==, 3);
  g_assert_cmpuint (ferry_queue_get_n_active (f->queue), ==, 0);
  g_assert_cmpint (ferry_queue_get_total_size (f->queue), ==, sum);
  g_assert_cmpint (ferry_queue_get_bytes_done (f->queue), ==, sum);
  g_assert_cmpfloat (ferry_queue_get_fraction (f->queue), ==, 1.0);
  g_assert_cmpfloat (ferry_queue_get_speed (f->queue), ==, 0.0);
  g_assert_cmpint (ferry_queue_get_eta (f->queue), ==, -1);
  assert_consistent (f->queue);
  assert_told (f);
  /* Checked again and again on the way (about 3 times a file here; events
   * that come together are told together, hence the low bar). */
  g_test_message ("%u notifications checked", f->n_checks);
  g_assert_cmpuint (f->n_checks, >=, N_SMALL / 3);

  for (guint i = 0; i < N_SMALL; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (f->queue), i);
      g_autofree char *name = small_name (i);

      g_assert_cmpint (ferry_transfer_get_state (transfer), ==, FERRY_TRANSFER_DONE);
      g_assert_cmpint (ferry_transfer_get_total_size (transfer), ==, small_size (i));
      assert_same_file (f, name);
    }

  /* Clearing takes everything out of the sums again. */
  ferry_queue_clear_finished (f->queue);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, 0);
  g_assert_cmpint (ferry_queue_get_total_size (f->queue), ==, 0);
  g_assert_cmpint (ferry_queue_get_bytes_done (f->queue), ==, 0);
  g_assert_cmpfloat (ferry_queue_get_fraction (f->queue), ==, 0.0);
  g_assert_false (ferry_queue_get_busy (f->queue));
  assert_told (f);
}

static void
test_remove_pause_resume (Fixture       *f,
                          gconstpointer  data)
{
  const char *script =
    "{\"faults\": [{\"command\": \"RETR\", \"arg\": \"*/slow*\", \"every\": true,"
    " \"action\": \"rate\", \"bytes_per_second\": " G_STRINGIFY (SLOW_RATE) "}]}";
  g_autoptr(FerryTransfer) slow = NULL;
  g_autoptr(FerryTransfer) slow2 = NULL;
  g_autoptr(FerryTransfer) first = NULL;
  g_autoptr(FerryTransfer) second = NULL;
  g_autoptr(FerryTransfer) removed = NULL;
  g_autoptr(FerryTransfer) held = NULL;
  g_autofree char *removed_name = small_name (20);
  g_autofree char *removed_path = g_build_filename (f->local, removed_name, NULL);
  g_autofree char *slow2_path = g_build_filename (f->local, "slow2.bin", NULL);
  gboolean reached = FALSE, reached2 = FALSE, seen_speed = FALSE, stopped = FALSE;
  gint64 sum = SLOW_SIZE, paused_at;

  g_test_summary ("Removing queued, running and finished items from the middle, and "
                  "pausing and resuming queued and running ones, keeps the totals equal "
                  "to a recount and the queue order");

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (f->root, i == 0 ? "slow.bin" : "slow2.bin",
                                                NULL);

      ferry_test_write_random_file (path, SLOW_SIZE, 98 + i);
    }
  for (guint i = 0; i < N_MIXED; i++)
    {
      g_autofree char *name = small_name (i);
      g_autofree char *path = g_build_filename (f->root, name, NULL);

      ferry_test_write_random_file (path, small_size (i), i + 1);
      if (i != 20)
        sum += small_size (i);
    }

  if (!start_server (f, FERRY_TEST_SERVER_FAULT, script))
    return;

  f->limit = 2;
  ferry_queue_set_max_parallel (f->queue, 2);

  slow = g_object_ref (add_download (f, "slow.bin"));
  slow2 = g_object_ref (add_download (f, "slow2.bin"));
  for (guint i = 0; i < N_MIXED; i++)
    {
      g_autofree char *name = small_name (i);
      FerryTransfer *transfer = add_download (f, name);

      if (i == 0)
        first = g_object_ref (transfer);
      else if (i == 1)
        second = g_object_ref (transfer);
      else if (i == 20)
        removed = g_object_ref (transfer);
      else if (i == 30)
        held = g_object_ref (transfer);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, N_MIXED + 2);
  g_assert_cmpuint (ferry_queue_get_n_active (f->queue), ==, 2);
  g_assert_true (holds_slot (ferry_transfer_get_state (slow)));
  g_assert_true (holds_slot (ferry_transfer_get_state (slow2)));
  g_assert_cmpint (ferry_transfer_get_state (first), ==, FERRY_TRANSFER_QUEUED);

  /* Out of the middle, while still queued: cancelled, and gone from the
   * list and the sums at once. */
  g_assert_cmpint (ferry_transfer_get_state (removed), ==, FERRY_TRANSFER_QUEUED);
  ferry_queue_remove (f->queue, removed);
  g_assert_cmpint (ferry_transfer_get_state (removed), ==, FERRY_TRANSFER_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, N_MIXED + 1);
  assert_consistent (f->queue);
  assert_told (f);
  /* Removing what is not there any more changes nothing. */
  ferry_queue_remove (f->queue, removed);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, N_MIXED + 1);

  /* Paused while queued: the scheduler passes it by. */
  g_assert_cmpint (ferry_transfer_get_state (held), ==, FERRY_TRANSFER_QUEUED);
  ferry_transfer_pause (held);
  g_assert_cmpint (ferry_transfer_get_state (held), ==, FERRY_TRANSFER_PAUSED);

  /* Both slow files move long enough for speeds to count.  Each tells its
   * bytes on its own timer, so every check also counts bytes that the
   * other one has not told yet. */
  g_signal_connect (slow, "notify::state", G_CALLBACK (state_reached_cb), &reached);
  g_signal_connect (slow2, "notify::state", G_CALLBACK (state_reached_cb), &reached2);
  ferry_test_wait_for (&reached, 30);
  ferry_test_wait_for (&reached2, 30);
  g_signal_connect (f->queue, "notify::speed", G_CALLBACK (speed_seen_cb), &seen_speed);
  ferry_test_wait_for (&seen_speed, 30);
  g_assert_cmpint (ferry_transfer_get_state (slow), ==, FERRY_TRANSFER_TRANSFERRING);
  g_assert_cmpint (ferry_transfer_get_state (slow2), ==, FERRY_TRANSFER_TRANSFERRING);
  g_assert_cmpfloat (ferry_queue_get_speed (f->queue), >, 0);
  g_assert_cmpint (ferry_transfer_get_state (first), ==, FERRY_TRANSFER_QUEUED);
  assert_consistent (f->queue);

  /* A running one, before the scheduler's place in the list: the oldest
   * queued file takes its slot at once, not the one after it. */
  ferry_queue_remove (f->queue, slow2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, N_MIXED);
  g_assert_true (holds_slot (ferry_transfer_get_state (first)));
  g_assert_cmpint (ferry_transfer_get_state (second), ==, FERRY_TRANSFER_QUEUED);
  g_assert_cmpuint (ferry_queue_get_n_active (f->queue), ==, 2);
  assert_consistent (f->queue);
  assert_told (f);

  /* Paused while running: it gives its slot back and keeps its bytes. */
  g_signal_connect (slow, "notify::state", G_CALLBACK (state_stopped_cb), &stopped);
  ferry_transfer_pause (slow);
  ferry_test_wait_for (&stopped, 30);
  g_assert_cmpint (ferry_transfer_get_state (slow), ==, FERRY_TRANSFER_PAUSED);
  paused_at = ferry_transfer_get_bytes_done (slow);
  g_assert_cmpint (paused_at, >, 0);
  g_assert_cmpint (paused_at, <, SLOW_SIZE);

  /* The others finish; two paused transfers wait for the user. */
  if (ferry_queue_get_busy (f->queue))
    wait_idle (f, 60);
  g_assert_false (ferry_queue_get_busy (f->queue));
  g_assert_cmpuint (ferry_queue_get_n_active (f->queue), ==, 0);
  g_assert_cmpfloat (ferry_queue_get_speed (f->queue), ==, 0.0);
  g_assert_cmpint (ferry_queue_get_eta (f->queue), ==, -1);
  assert_consistent (f->queue);
  assert_told (f);
  /* The held file's size is not known yet: it counts for nothing. */
  g_assert_cmpint (ferry_transfer_get_total_size (held), ==, -1);
  g_assert_cmpint (ferry_queue_get_total_size (f->queue), ==, sum - small_size (30));
  g_assert_cmpint (ferry_queue_get_bytes_done (f->queue), ==,
                   sum - small_size (30) - SLOW_SIZE + paused_at);
  g_assert_cmpfloat (ferry_queue_get_fraction (f->queue), <, 1.0);
  /* slow.bin, then small000 to small039 without small020. */
  for (guint i = 1; i < N_MIXED; i++)
    {
      g_autoptr(FerryTransfer) transfer = g_list_model_get_item (G_LIST_MODEL (f->queue), i);
      g_autofree char *name = small_name (i < 21 ? i - 1 : i);
      FerryTransferState want = transfer == held ? FERRY_TRANSFER_PAUSED : FERRY_TRANSFER_DONE;

      g_assert_cmpstr (ferry_transfer_get_name (transfer), ==, name);
      g_assert_cmpint (ferry_transfer_get_state (transfer), ==, want);
    }

  /* A finished one out of the middle takes its bytes with it. */
  {
    g_autoptr(FerryTransfer) done = g_list_model_get_item (G_LIST_MODEL (f->queue), 6);

    g_assert_cmpstr (ferry_transfer_get_name (done), ==, "small005.bin");
    g_assert_cmpint (ferry_transfer_get_state (done), ==, FERRY_TRANSFER_DONE);
    ferry_queue_remove (f->queue, done);
    sum -= small_size (5);
    g_assert_cmpint (ferry_transfer_get_state (done), ==, FERRY_TRANSFER_DONE);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->queue)), ==, N_MIXED - 1);
    g_assert_cmpint (ferry_queue_get_total_size (f->queue), ==, sum - small_size (30));
    assert_consistent (f->queue);
    assert_told (f);
  }

  /* Both resumed: busy again, then done, every byte in place. */
  g_array_set_size (f->busy_changes, 0);
  ferry_transfer_resume (held);
  ferry_transfer_resume (slow);
  wait_idle (f, 60);
  g_assert_cmpuint (f->busy_changes->len, ==, 2);
  g_assert_true (g_array_index (f->busy_changes, gboolean, 0));
  g_assert_false (g_array_index (f->busy_changes, gboolean, 1));

  g_assert_cmpint (ferry_transfer_get_state (slow), ==, FERRY_TRANSFER_DONE);
  g_assert_cmpint (ferry_transfer_get_state (held), ==, FERRY_TRANSFER_DONE);
  g_assert_cmpint (ferry_transfer_get_state (slow2), ==, FERRY_TRANSFER_CANCELLED);
  g_assert_cmpuint (ferry_queue_get_n_active (f->queue), ==, 0);
  g_assert_cmpint (ferry_queue_get_total_size (f->queue), ==, sum);
  g_assert_cmpint (ferry_queue_get_bytes_done (f->queue), ==, sum);
  g_assert_cmpfloat (ferry_queue_get_fraction (f->queue), ==, 1.0);
  g_assert_cmpfloat (ferry_queue_get_speed (f->queue), ==, 0.0);
  g_assert_cmpint (ferry_queue_get_eta (f->queue), ==, -1);
  g_assert_cmpuint (f->max_active, ==, 2);
  g_assert_cmpfloat (f->max_speed, >, 0);
  assert_consistent (f->queue);
  assert_told (f);

  assert_same_file (f, "slow.bin");
  for (guint i = 0; i < N_MIXED; i++)
    {
      g_autofree char *name = small_name (i);

      /* small005 was taken out of the list once done: its file stays. */
      if (i != 20)
        assert_same_file (f, name);
    }
  /* Cancelled downloads leave nothing behind. */
  g_assert_false (g_file_test (removed_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (slow2_path, G_FILE_TEST_EXISTS));
  /* The slow file went on from where it stopped. */
  g_assert_cmpuint (ferry_test_server_count_commands (f->server, "REST "), >=, 1);
}

static void
test_resume_waits_for_slot (Fixture       *f,
                            gconstpointer  data)
{
  const char *script =
    "{\"faults\": [{\"command\": \"RETR\", \"arg\": \"*/slow*\", \"every\": true,"
    " \"action\": \"rate\", \"bytes_per_second\": " G_STRINGIFY (SLOW_RATE) "}]}";
  g_autoptr(FerryTransfer) a = NULL;
  g_autoptr(FerryTransfer) b = NULL;
  gboolean reached = FALSE, stopped = FALSE;

  g_test_summary ("Resuming a paused transfer in a full queue queues it: it starts when "
                  "a slot is free, never above max-parallel");

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (f->root, i == 0 ? "slow.bin" : "slow2.bin",
                                                NULL);

      ferry_test_write_random_file (path, SLOW_SIZE, 90 + i);
    }
  if (!start_server (f, FERRY_TEST_SERVER_FAULT, script))
    return;

  f->limit = 1;
  ferry_queue_set_max_parallel (f->queue, 1);
  a = g_object_ref (add_download (f, "slow.bin"));
  b = g_object_ref (add_download (f, "slow2.bin"));
  g_assert_cmpint (ferry_transfer_get_state (b), ==, FERRY_TRANSFER_QUEUED);

  /* a runs; pause it, and b takes the slot. */
  g_signal_connect (a, "notify::state", G_CALLBACK (state_reached_cb), &reached);
  ferry_test_wait_for (&reached, 30);
  g_signal_connect (a, "notify::state", G_CALLBACK (state_stopped_cb), &stopped);
  ferry_transfer_pause (a);
  ferry_test_wait_for (&stopped, 30);
  g_assert_cmpint (ferry_transfer_get_state (a), ==, FERRY_TRANSFER_PAUSED);
  reached = FALSE;
  g_signal_connect (b, "notify::state", G_CALLBACK (state_reached_cb), &reached);
  ferry_test_wait_for (&reached, 30);
  g_assert_cmpint (ferry_transfer_get_state (b), ==, FERRY_TRANSFER_TRANSFERRING);

  /* Resuming a while b holds the only slot queues it. */
  ferry_transfer_resume (a);
  g_assert_cmpint (ferry_transfer_get_state (a), ==, FERRY_TRANSFER_QUEUED);
  g_assert_true (ferry_queue_get_busy (f->queue));
  /* The queue counts on its next idle. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpint (ferry_transfer_get_state (a), ==, FERRY_TRANSFER_QUEUED);
  g_assert_cmpuint (ferry_queue_get_n_busy (f->queue), ==, 2);
  assert_consistent (f->queue);

  /* Both end, one at a time (the n-active watcher fails above 1). */
  while (ferry_queue_get_busy (f->queue))
    wait_idle (f, 60);
  g_assert_cmpint (ferry_transfer_get_state (a), ==, FERRY_TRANSFER_DONE);
  g_assert_cmpint (ferry_transfer_get_state (b), ==, FERRY_TRANSFER_DONE);
  g_assert_cmpuint (ferry_queue_get_n_busy (f->queue), ==, 0);
  assert_consistent (f->queue);
  assert_told (f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add ("/ftp/queue/many-small", Fixture, NULL,
              fixture_set_up, test_many_small, fixture_tear_down);
  g_test_add ("/ftp/queue/remove-pause-resume", Fixture, NULL,
              fixture_set_up, test_remove_pause_resume, fixture_tear_down);
  g_test_add ("/ftp/queue/resume-waits-for-slot", Fixture, NULL,
              fixture_set_up, test_resume_waits_for_slot, fixture_tear_down);

  return g_test_run ();
}
