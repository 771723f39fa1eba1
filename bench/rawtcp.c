/* rawtcp.c: the raw TCP reference for bench/run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The floor an FTP client's data path can reach on this machine: one TCP
 * connection on loopback, no protocol.  The "server" side behaves like
 * vsftpd with use_sendfile=YES (sendfile(2) from the page cache when it
 * sends, read(2)+write(2) when it receives); the "client" side is the part
 * that is timed and compared with curl, lftp and ferry-cli:
 *
 *   rawtcp serve-send FILE          listen on 127.0.0.1 (free port), print
 *                                   "PORT n", accept one connection, send FILE
 *                                   with sendfile(2), close; exit
 *   rawtcp serve-recv OUT           listen, print "PORT n", accept one
 *                                   connection, read(2)+write(2) into OUT
 *                                   until EOF, close; exit
 *   rawtcp fetch PORT OUT [BUF]     client download: connect, read(2) into a
 *                                   BUF-byte buffer (default 1 MiB) and
 *                                   write(2) into OUT until EOF
 *   rawtcp push PORT FILE           client upload: connect, sendfile(2) FILE,
 *                                   shutdown(SHUT_WR), wait until the server
 *                                   closes (it has written everything: the
 *                                   counterpart of an FTP 226)
 *
 * Everything binds or connects to 127.0.0.1 only.
 */

#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static void
die (const char *what)
{
  fprintf (stderr, "rawtcp: %s: %s\n", what, strerror (errno));
  exit (1);
}

static int
listen_any (void)
{
  struct sockaddr_in sa = { .sin_family = AF_INET };
  socklen_t len = sizeof sa;
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  if (fd < 0)
    die ("socket");
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &sa, sizeof sa) < 0 || listen (fd, 1) < 0)
    die ("bind");
  if (getsockname (fd, (struct sockaddr *) &sa, &len) < 0)
    die ("getsockname");
  printf ("PORT %d\n", ntohs (sa.sin_port));
  fflush (stdout);
  return fd;
}

static int
accept_one (int lfd)
{
  int fd = accept (lfd, NULL, NULL);

  if (fd < 0)
    die ("accept");
  close (lfd);
  return fd;
}

static int
connect_port (int port)
{
  struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons (port) };
  int fd = socket (AF_INET, SOCK_STREAM, 0);

  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || connect (fd, (struct sockaddr *) &sa, sizeof sa) < 0)
    die ("connect");
  return fd;
}

static void
send_file (int sock, const char *path)
{
  int in = open (path, O_RDONLY);
  struct stat st;
  off_t off = 0;

  if (in < 0 || fstat (in, &st) < 0)
    die (path);
  while (off < st.st_size)
    {
      ssize_t n = sendfile (sock, in, &off, 4 << 20);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        die ("sendfile");
    }
  close (in);
}

static void
copy_to_file (int sock, const char *path, size_t size)
{
  char *buf = malloc (size);
  int out = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

  if (buf == NULL || out < 0)
    die (path);
  for (;;)
    {
      ssize_t n = read (sock, buf, size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        die ("read");
      if (n == 0)
        break;
      for (ssize_t done = 0; done < n;)
        {
          ssize_t w = write (out, buf + done, n - done);
          if (w < 0 && errno == EINTR)
            continue;
          if (w < 0)
            die ("write");
          done += w;
        }
    }
  if (close (out) < 0)
    die ("close");
  free (buf);
}

int
main (int argc, char **argv)
{
  if (argc >= 3 && strcmp (argv[1], "serve-send") == 0)
    {
      int fd = accept_one (listen_any ());
      send_file (fd, argv[2]);
      close (fd);
    }
  else if (argc >= 3 && strcmp (argv[1], "serve-recv") == 0)
    {
      int fd = accept_one (listen_any ());
      copy_to_file (fd, argv[2], 1 << 20);
      close (fd);
    }
  else if (argc >= 4 && strcmp (argv[1], "fetch") == 0)
    {
      int fd = connect_port (atoi (argv[2]));
      copy_to_file (fd, argv[3], argc >= 5 ? (size_t) atol (argv[4]) : 1 << 20);
      close (fd);
    }
  else if (argc >= 4 && strcmp (argv[1], "push") == 0)
    {
      int fd = connect_port (atoi (argv[2]));
      char c;
      send_file (fd, argv[3]);
      shutdown (fd, SHUT_WR);
      while (read (fd, &c, 1) > 0)
        ;
      close (fd);
    }
  else
    {
      fprintf (stderr, "usage: rawtcp serve-send FILE | serve-recv OUT | fetch PORT OUT [BUF] | push PORT FILE\n");
      return 2;
    }
  return 0;
}
