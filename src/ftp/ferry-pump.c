/* ferry-pump.c: the bytes of one data connection, moved in a thread of their own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A transfer's bulk is a loop of "wait for the socket, move a chunk, write
 * it" that needs no protocol and no main loop.  Running it as a chain of
 * main-loop callbacks cost a poll wake-up per read and, because a local
 * file has no native asynchronous write, a thread-pool round trip per
 * write (bench/experiments/README.md).  The pump runs that loop in one
 * dedicated thread with plain system calls, the way `socat` or a raw
 * read(2)/write(2) loop does.  On Linux a download moves without copying
 * through user space: splice(2) from the socket through a pipe into the
 * file.  An upload is a read(2)/send(2) loop of 256 KiB: sendfile(2) is
 * there too (FERRY_PUMP_SENDFILE=1), but was slower on wall time.
 * FERRY_PUMP_NO_SPLICE=1 makes downloads copy, for tests and benchmarks.
 *
 * The thread touches nothing but the pump: duplicates of the two file
 * descriptors (so the owner may close its streams whenever it likes), a
 * byte counter read atomically by the owner, and its GTask.  It waits with
 * poll(2) on the socket and on the cancellable's descriptor, so a cancel
 * or a silent peer (the inactivity timeout) ends it promptly; a write to
 * a slow disk is the only thing it waits out.
 */

#define G_LOG_DOMAIN "ferry-pump"
#define _GNU_SOURCE  /* splice(2), pipe2(2), F_SETPIPE_SZ */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <sys/socket.h>
#ifdef __linux__
#include <sys/sendfile.h>
#endif

#include <glib/gi18n-lib.h>

#include "ferry-pump.h"

#define CHUNK_SIZE (1024 * 1024)
/* Sending: 256 KiB reads stay in the cache between read(2) and send(2);
 * 1 MiB and 64 KiB were slower, on wall time and CPU (bench/experiments). */
#define SEND_CHUNK_SIZE (256 * 1024)

struct _FerryPump
{
  FerryPumpDirection direction;
  int                socket_fd;     /* owned duplicate */
  int                file_fd;       /* owned duplicate */
  gint64             limit;         /* -1: until the end */
  int                timeout_ms;    /* -1: none */
  gint64             moved;         /* atomic: written by the thread */
  guint8            *buffer;        /* without splice(2) or sendfile(2) */
  gboolean           overflow;      /* after the run: the peer sent more than @limit */
  gboolean           local_failed;  /* after the run: the error was the file's */
  gboolean           running;
};

G_DEFINE_BOXED_TYPE (FerryPump, ferry_pump, ferry_pump_ref, ferry_pump_unref)

static void
ferry_pump_free (FerryPump *self)
{
  if (self->socket_fd >= 0)
    close (self->socket_fd);
  if (self->file_fd >= 0)
    close (self->file_fd);
  g_free (self->buffer);
}

/**
 * ferry_pump_new:
 * @direction: which way the bytes go
 * @socket: the connected data socket
 * @file_fd: a descriptor of the local file, at the position to read or
 *   write from (the pump moves that position, as read(2) and write(2) do)
 * @limit: the most bytes to move, or -1 for all: until the peer closes
 *   (receiving) or the file ends (sending)
 * @inactivity_timeout: seconds without any byte moved after which the run
 *   fails with %G_IO_ERROR_TIMED_OUT, or 0 for no limit
 * @error: return location for a #GError
 *
 * Both descriptors are duplicated: the caller keeps its own and may close
 * them at any time.
 *
 * Returns: (transfer full) (nullable): a pump, or %NULL when a descriptor
 *   could not be duplicated
 */
FerryPump *
ferry_pump_new (FerryPumpDirection   direction,
                GSocket             *socket,
                int                  file_fd,
                gint64               limit,
                guint                inactivity_timeout,
                GError             **error)
{
  g_autoptr(FerryPump) self = NULL;

  g_return_val_if_fail (G_IS_SOCKET (socket), NULL);
  g_return_val_if_fail (file_fd >= 0, NULL);

  self = g_atomic_rc_box_new0 (FerryPump);
  self->direction = direction;
  self->limit = limit;
  self->timeout_ms = inactivity_timeout > 0 ? (int) MIN (inactivity_timeout, G_MAXINT / 1000) * 1000 : -1;
  self->socket_fd = fcntl (g_socket_get_fd (socket), F_DUPFD_CLOEXEC, 0);
  self->file_fd = self->socket_fd >= 0 ? fcntl (file_fd, F_DUPFD_CLOEXEC, 0) : -1;
  if (self->socket_fd < 0 || self->file_fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s", g_strerror (saved_errno));
      return NULL;
    }

  return g_steal_pointer (&self);
}

FerryPump *
ferry_pump_ref (FerryPump *self)
{
  return g_atomic_rc_box_acquire (self);
}

void
ferry_pump_unref (FerryPump *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) ferry_pump_free);
}

/**
 * ferry_pump_get_moved:
 *
 * Safe to call from any thread at any time.
 *
 * Returns: the bytes moved so far: written into the file (receiving) or
 *   handed to the socket (sending)
 */
gint64
ferry_pump_get_moved (FerryPump *self)
{
  return __atomic_load_n (&self->moved, __ATOMIC_RELAXED);
}

/**
 * ferry_pump_get_overflow:
 *
 * Returns: after a receiving run with a limit: whether the peer sent more
 *   bytes than the limit (those bytes were not written)
 */
gboolean
ferry_pump_get_overflow (FerryPump *self)
{
  return self->overflow;
}

/**
 * ferry_pump_get_local_failed:
 *
 * Returns: after a failed run: whether the local file failed, rather than
 *   the connection
 */
gboolean
ferry_pump_get_local_failed (FerryPump *self)
{
  return self->local_failed;
}

static inline gboolean
errno_is_again (int saved_errno)
{
#if EAGAIN != EWOULDBLOCK
  if (saved_errno == EWOULDBLOCK)
    return TRUE;
#endif
  return saved_errno == EAGAIN;
}

/* @want, or less when the limit is nearer; 0 at the limit. */
static gsize
clamp_to_limit (FerryPump *self,
                gsize      want)
{
  if (self->limit < 0)
    return want;
  return (gsize) MIN ((gint64) want, self->limit - self->moved);
}

static void
add_moved (FerryPump *self,
           gint64     n)
{
  __atomic_store_n (&self->moved, self->moved + n, __ATOMIC_RELAXED);
}

static gboolean
set_errno_error (GError    **error,
                 int         saved_errno)
{
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
  return FALSE;
}

static gboolean
set_local_error (FerryPump *self,
                 GError   **error,
                 int        saved_errno)
{
  self->local_failed = TRUE;
  return set_errno_error (error, saved_errno);
}

/* Waits until the socket is ready for @events, the cancellable fires or
 * the inactivity timeout passes. */
static gboolean
wait_socket (FerryPump     *self,
             short          events,
             GPollFD       *cancel_fd,
             GCancellable  *cancellable,
             GError       **error)
{
  struct pollfd fds[2] = { { self->socket_fd, events, 0 }, { -1, POLLIN, 0 } };
  int n;

  if (cancel_fd != NULL)
    fds[1].fd = cancel_fd->fd;

  do
    n = poll (fds, cancel_fd != NULL ? 2 : 1, self->timeout_ms);
  while (n < 0 && errno == EINTR);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (n < 0)
    return set_errno_error (error, errno);
  if (n == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, _("No data moved"));
      return FALSE;
    }
  return TRUE;
}

/* Network errors, as opposed to the local file's, for sendfile(2), whose
 * errno may come from either side. */
static gboolean
errno_is_network (int saved_errno)
{
  switch (saved_errno)
    {
    case EPIPE:
    case ECONNRESET:
    case ECONNABORTED:
    case ENOTCONN:
    case ETIMEDOUT:
    case EHOSTUNREACH:
    case ENETUNREACH:
    case ENETDOWN:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
write_all (FerryPump     *self,
           const guint8  *data,
           gsize          len,
           GError       **error)
{
  while (len > 0)
    {
      gssize n = write (self->file_fd, data, len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_local_error (self, error, errno);
      data += n;
      len -= n;
    }
  return TRUE;
}

#ifdef __linux__
/* Moves @len bytes that wait in the pipe into the file.  A file system
 * that cannot take splice(2) gets them through the buffer instead. */
static gboolean
drain_pipe (FerryPump     *self,
            int            pipe_read,
            gsize          len,
            GError       **error)
{
  while (len > 0)
    {
      gssize n;

      if (self->buffer == NULL)
        n = splice (pipe_read, NULL, self->file_fd, NULL, len, SPLICE_F_MOVE);
      else
        n = read (pipe_read, self->buffer, MIN (len, CHUNK_SIZE));

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EINVAL && self->buffer == NULL)
        {
          self->buffer = g_malloc (CHUNK_SIZE);
          continue;
        }
      if (n < 0)
        return set_local_error (self, error, errno);
      if (n == 0)
        return set_local_error (self, error, EIO);
      if (self->buffer != NULL && !write_all (self, self->buffer, n, error))
        return FALSE;
      len -= n;
    }
  return TRUE;
}
#endif

/* The limit is reached: anything but the end of the stream means the
 * file on the server grew. */
static gboolean
receive_check_end (FerryPump     *self,
                   GPollFD       *cancel_fd,
                   GCancellable  *cancellable,
                   GError       **error)
{
  guint8 byte;

  for (;;)
    {
      gssize n = recv (self->socket_fd, &byte, 1, 0);

      if (n > 0)
        {
          self->overflow = TRUE;
          return TRUE;
        }
      if (n == 0)
        return TRUE;
      if (errno == EINTR)
        continue;
      if (!errno_is_again (errno))
        return set_errno_error (error, errno);
      if (!wait_socket (self, POLLIN, cancel_fd, cancellable, error))
        return FALSE;
    }
}

static gboolean
pump_receive (FerryPump     *self,
              GPollFD       *cancel_fd,
              GCancellable  *cancellable,
              GError       **error)
{
  int pipe_fds[2] = { -1, -1 };
  gboolean ok = FALSE;
  gsize chunk = CHUNK_SIZE;

#ifdef __linux__
  if (g_getenv ("FERRY_PUMP_NO_SPLICE") == NULL && pipe2 (pipe_fds, O_CLOEXEC) == 0)
    {
      int size;

      /* A pipe holds 64 KiB unless asked: a bigger one means fewer calls. */
      (void) fcntl (pipe_fds[1], F_SETPIPE_SZ, CHUNK_SIZE);
      size = fcntl (pipe_fds[1], F_GETPIPE_SZ);
      chunk = size > 0 ? (gsize) size : 65536;
    }
#endif
  if (pipe_fds[0] < 0)
    self->buffer = g_malloc (CHUNK_SIZE);

  for (;;)
    {
      gsize want = chunk;
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      want = clamp_to_limit (self, want);
      if (want == 0)
        {
          ok = receive_check_end (self, cancel_fd, cancellable, error);
          goto out;
        }

#ifdef __linux__
      if (pipe_fds[0] >= 0)
        {
          n = splice (self->socket_fd, NULL, pipe_fds[1], NULL, want,
                      SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
          if (n < 0 && errno == EINVAL && self->moved == 0)
            {
              /* This socket cannot be spliced: copy instead. */
              close (pipe_fds[0]);
              close (pipe_fds[1]);
              pipe_fds[0] = pipe_fds[1] = -1;
              self->buffer = g_malloc (CHUNK_SIZE);
              continue;
            }
        }
      else
#endif
        n = recv (self->socket_fd, self->buffer, MIN (want, CHUNK_SIZE), 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno_is_again (errno))
            {
              if (!wait_socket (self, POLLIN, cancel_fd, cancellable, error))
                goto out;
              continue;
            }
          set_errno_error (error, errno);
          goto out;
        }

      if (n == 0)
        {
          ok = TRUE;
          goto out;
        }

#ifdef __linux__
      if (pipe_fds[0] >= 0)
        {
          if (!drain_pipe (self, pipe_fds[0], n, error))
            goto out;
        }
      else
#endif
      if (!write_all (self, self->buffer, n, error))
        goto out;

      add_moved (self, n);
    }

out:
  if (pipe_fds[0] >= 0)
    close (pipe_fds[0]);
  if (pipe_fds[1] >= 0)
    close (pipe_fds[1]);
  return ok;
}

static gboolean
send_all (FerryPump     *self,
          const guint8  *data,
          gsize          len,
          GPollFD       *cancel_fd,
          GCancellable  *cancellable,
          GError       **error)
{
  while (len > 0)
    {
      gssize n = send (self->socket_fd, data, len, MSG_NOSIGNAL);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno_is_again (errno)))
        {
          if (!wait_socket (self, POLLOUT, cancel_fd, cancellable, error))
            return FALSE;
          continue;
        }
      if (n < 0)
        return set_errno_error (error, errno);
      data += n;
      len -= n;
      add_moved (self, n);
    }
  return TRUE;
}

static gboolean
pump_send (FerryPump     *self,
           GPollFD       *cancel_fd,
           GCancellable  *cancellable,
           GError       **error)
{
  gboolean use_sendfile = FALSE;

#ifdef __linux__
  /* sendfile(2) costs half the CPU of read(2) + send(2), but against
   * vsftpd on loopback its uploads took 1.2 x the time (bench/experiments):
   * it is there to measure, not the default. */
  use_sendfile = g_getenv ("FERRY_PUMP_SENDFILE") != NULL;
#endif
  if (!use_sendfile)
    self->buffer = g_malloc (SEND_CHUNK_SIZE);

  for (;;)
    {
      gsize want = SEND_CHUNK_SIZE;
      gssize n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      want = clamp_to_limit (self, want);
      if (want == 0)
        return TRUE;

#ifdef __linux__
      if (use_sendfile)
        {
          n = sendfile (self->socket_fd, self->file_fd, NULL, want);
          if (n < 0 && errno == EINTR)
            continue;
          if (n < 0 && (errno_is_again (errno)))
            {
              if (!wait_socket (self, POLLOUT, cancel_fd, cancellable, error))
                return FALSE;
              continue;
            }
          if (n < 0 && (errno == EINVAL || errno == ENOSYS) && self->moved == 0)
            {
              /* This file cannot be sent from the page cache: copy instead. */
              use_sendfile = FALSE;
              self->buffer = g_malloc (SEND_CHUNK_SIZE);
              continue;
            }
          if (n < 0)
            {
              int saved_errno = errno;

              self->local_failed = !errno_is_network (saved_errno);
              return set_errno_error (error, saved_errno);
            }
          if (n == 0)
            return TRUE;
          add_moved (self, n);
          continue;
        }
#endif

      n = read (self->file_fd, self->buffer, want);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return set_local_error (self, error, errno);
      if (n == 0)
        return TRUE;
      if (!send_all (self, self->buffer, n, cancel_fd, cancellable, error))
        return FALSE;
    }
}

static gpointer
pump_thread (gpointer data)
{
  g_autoptr(GTask) task = data;
  FerryPump *self = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) error = NULL;
  GPollFD cancel_fd;
  gboolean have_cancel_fd;
  gboolean ok;

  have_cancel_fd = cancellable != NULL && g_cancellable_make_pollfd (cancellable, &cancel_fd);

  if (self->direction == FERRY_PUMP_RECEIVE)
    ok = pump_receive (self, have_cancel_fd ? &cancel_fd : NULL, cancellable, &error);
  else
    ok = pump_send (self, have_cancel_fd ? &cancel_fd : NULL, cancellable, &error);

  if (have_cancel_fd)
    g_cancellable_release_fd (cancellable);

  /* The descriptors go now, not when the last reference does: the owner
   * may be waiting for the connection to close. */
  close (self->socket_fd);
  self->socket_fd = -1;
  close (self->file_fd);
  self->file_fd = -1;

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
  return NULL;
}

/**
 * ferry_pump_run_async:
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context when the run ends
 * @user_data: data for @callback
 *
 * Moves the bytes in a thread of its own.  A pump runs once.
 */
void
ferry_pump_run_async (FerryPump           *self,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->running);

  self->running = TRUE;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ferry_pump_run_async);
  g_task_set_name (task, "[ferry] pump");
  g_task_set_task_data (task, ferry_pump_ref (self), (GDestroyNotify) ferry_pump_unref);

  /* Not g_task_run_in_thread(): a transfer can take hours, and GTask's
   * shared pool is meant for short jobs. */
  thread = g_thread_try_new ("ferry-pump", pump_thread, g_object_ref (task), &error);
  if (thread == NULL)
    {
      g_object_unref (task);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_thread_unref (thread);
}

/**
 * ferry_pump_run_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: return location for a #GError
 *
 * Whatever the outcome, ferry_pump_get_moved() tells how far the run got.
 *
 * Returns: %TRUE when the stream ended (or the limit was reached)
 */
gboolean
ferry_pump_run_finish (FerryPump     *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ferry_pump_run_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
