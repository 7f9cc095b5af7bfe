// The Nitro Secure Module at the syscall boundary, for tests (issue 17): an unmodified agent's
// ioctl(fd, 0xC0200A00, &nsm_message) on /dev/nsm is stopped by a seccomp user-notification
// filter and completed here, as the Linux nsm driver (drivers/misc/nsm.c) would complete it.
//
//   nsm_harness launch SOCKET PROGRAM [ARGS...]
//       installs the filter (SECCOMP_RET_USER_NOTIF for that ioctl, everything else allowed),
//       hands the listener to the supervisor listening on SOCKET, then execs PROGRAM: the filter
//       holds for it and everything it starts.
//   nsm_harness probe
//       exits 0 when this kernel can install such a filter, 97 (saying so) when it cannot.
//   nsm_harness supervise SOCKET DEVICE
//       accepts the listener, then for each NSM ioctl on a descriptor of DEVICE (same inode) reads
//       the request iovec from the caller's memory and relays it on stdout; the answer read from
//       stdin is written into the response iovec (truncated to its capacity) and its length into
//       the message, as the driver does. Other ioctls with that number run for real.
//
// Relay frames (little-endian). Out: 'Q' u32 pid, u32 request length, u64 response capacity,
// request bytes. In: 'A' u32 length, answer bytes | 'E' u32 errno | 'N' (never answer this one).
// Requests over 4096 bytes get EINVAL without a relay, a message the caller's memory does not
// hold EFAULT: the driver's answers.
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define NSM_IOCTL_RAW 0xC0200A00UL
#define NSM_REQUEST_MAX 0x1000

#if defined(__x86_64__)
#define THIS_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define THIS_ARCH AUDIT_ARCH_AARCH64
#else
#error "x86-64 or aarch64 only"
#endif

struct nsm_message {
  uint64_t request_base, request_len, response_base, response_len;
};

static void die(const char *what) {
  fprintf(stderr, "nsm_harness: %s: %s\n", what, strerror(errno));
  exit(96);
}

static struct sockaddr_un address(const char *path) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  if (strlen(path) >= sizeof(addr.sun_path)) {
    fprintf(stderr, "nsm_harness: socket path too long: %s\n", path);
    exit(96);
  }
  strcpy(addr.sun_path, path);
  return addr;
}

// Installs the filter; returns its listener, or -1 (saying why) when the kernel lacks it.
static int install_filter(void) {
  struct sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, THIS_ARCH, 0, 7),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 5),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)NSM_IOCTL_RAW, 0, 3),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1]) + 4),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {.len = sizeof(filter) / sizeof(filter[0]), .filter = filter};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("prctl(PR_SET_NO_NEW_PRIVS)");
  int listener =
      (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
  if (listener < 0) {
    fprintf(stderr,
            "nsm_harness: this kernel lacks seccomp user notification (SECCOMP_RET_USER_NOTIF with"
            " SECCOMP_FILTER_FLAG_NEW_LISTENER): %s\n",
            strerror(errno));
  }
  return listener;
}

static int launch(const char *socket_path, char **program) {
  int listener = install_filter();
  if (listener < 0) return 97;
  int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = address(socket_path);
  if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof(addr)) != 0)
    die("connect to the supervisor");
  char byte = 'L';
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control = {0};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(cmsg), &listener, sizeof(int));
  if (sendmsg(sock, &msg, 0) != 1) die("send the listener");
  // Wait until the supervisor holds it: an NSM call before that would find no listener.
  if (read(sock, &byte, 1) != 1) die("supervisor acknowledgement");
  close(listener);
  close(sock);
  execv(program[0], program);
  die(program[0]);
  return 96;
}

static int receive_listener(const char *socket_path) {
  int server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = address(socket_path);
  unlink(socket_path);
  if (server < 0 || bind(server, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
      listen(server, 1) != 0)
    die("listen");
  fprintf(stderr, "nsm_harness: supervisor listening on %s\n", socket_path);
  int conn = accept(server, NULL, NULL);
  if (conn < 0) die("accept");
  char byte;
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    struct cmsghdr align;
    char buf[CMSG_SPACE(sizeof(int))];
  } control;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                       .msg_controllen = sizeof(control.buf)};
  if (recvmsg(conn, &msg, 0) != 1) die("receive the listener");
  struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
  if (cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS) {
    fprintf(stderr, "nsm_harness: no descriptor received\n");
    exit(96);
  }
  int listener;
  memcpy(&listener, CMSG_DATA(cmsg), sizeof(int));
  if (write(conn, "A", 1) != 1) die("acknowledge");
  close(conn);
  close(server);
  unlink(socket_path);
  return listener;
}

static void read_fully(void *buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = read(0, (char *)buf + done, len - done);
    if (n <= 0) exit(0);  // the test closed the relay: stop supervising
    done += (size_t)n;
  }
}

static void write_fully(const void *buf, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(1, (const char *)buf + done, len - done);
    if (n <= 0) exit(0);
    done += (size_t)n;
  }
}

static int read_target(pid_t pid, uint64_t remote, void *local, size_t len) {
  struct iovec l = {.iov_base = local, .iov_len = len};
  struct iovec r = {.iov_base = (void *)(uintptr_t)remote, .iov_len = len};
  return len == 0 || process_vm_readv(pid, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -1;
}

static int write_target(pid_t pid, uint64_t remote, const void *local, size_t len) {
  struct iovec l = {.iov_base = (void *)local, .iov_len = len};
  struct iovec r = {.iov_base = (void *)(uintptr_t)remote, .iov_len = len};
  return len == 0 || process_vm_writev(pid, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 : -1;
}

static int is_device(pid_t pid, uint64_t fd, const struct stat *device) {
  char path[64];
  struct stat st;
  snprintf(path, sizeof(path), "/proc/%d/fd/%llu", pid, (unsigned long long)fd);
  return stat(path, &st) == 0 && st.st_dev == device->st_dev && st.st_ino == device->st_ino;
}

static void respond(int listener, struct seccomp_notif *req, int error, uint32_t flags) {
  struct seccomp_notif_resp resp = {.id = req->id, .val = 0, .error = error, .flags = flags};
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) != 0 && errno != ENOENT)
    die("SECCOMP_IOCTL_NOTIF_SEND");
}

static int supervise(const char *socket_path, const char *device_path) {
  struct stat device;
  if (stat(device_path, &device) != 0) die(device_path);
  int listener = receive_listener(socket_path);
  static unsigned char request[NSM_REQUEST_MAX];
  static unsigned char answer[1 << 16];
  for (;;) {
    struct pollfd pfd = {.fd = listener, .events = POLLIN};
    if (poll(&pfd, 1, -1) < 0) {
      if (errno == EINTR) continue;
      die("poll");
    }
    if (!(pfd.revents & POLLIN)) return 0;  // POLLHUP: every process under the filter is gone
    struct seccomp_notif req;
    memset(&req, 0, sizeof(req));
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) {
      if (errno == EINTR || errno == ENOENT) continue;
      die("SECCOMP_IOCTL_NOTIF_RECV");
    }
    pid_t pid = (pid_t)req.pid;
    if (!is_device(pid, req.data.args[0], &device)) {
      respond(listener, &req, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE);
      continue;
    }
    struct nsm_message message;
    if (read_target(pid, req.data.args[2], &message, sizeof(message)) != 0) {
      respond(listener, &req, -EFAULT, 0);
      continue;
    }
    if (message.request_len > NSM_REQUEST_MAX) {
      respond(listener, &req, -EINVAL, 0);
      continue;
    }
    if (read_target(pid, message.request_base, request, message.request_len) != 0) {
      respond(listener, &req, -EFAULT, 0);
      continue;
    }
    uint32_t head[2] = {(uint32_t)pid, (uint32_t)message.request_len};
    write_fully("Q", 1);
    write_fully(head, sizeof(head));
    write_fully(&message.response_len, sizeof(uint64_t));
    write_fully(request, message.request_len);
    char kind;
    uint32_t value;
    read_fully(&kind, 1);
    if (kind == 'N') continue;  // left pending: the caller waits, as on a silent NSM
    read_fully(&value, sizeof(value));
    if (kind == 'E') {
      respond(listener, &req, -(int)value, 0);
      continue;
    }
    if (value > sizeof(answer)) {
      fprintf(stderr, "nsm_harness: answer of %u bytes is too large\n", value);
      exit(96);
    }
    read_fully(answer, value);
    // The driver copies min(capacity, length) bytes and writes that length back.
    uint64_t length = value < message.response_len ? value : message.response_len;
    if (ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req.id) != 0) continue;
    if (write_target(pid, message.response_base, answer, length) != 0 ||
        write_target(pid, req.data.args[2] + offsetof(struct nsm_message, response_len), &length,
                     sizeof(length)) != 0) {
      respond(listener, &req, -EFAULT, 0);
      continue;
    }
    respond(listener, &req, 0, 0);
  }
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "probe") == 0) return install_filter() < 0 ? 97 : 0;
  if (argc >= 4 && strcmp(argv[1], "launch") == 0) return launch(argv[2], argv + 3);
  if (argc == 4 && strcmp(argv[1], "supervise") == 0) return supervise(argv[2], argv[3]);
  fprintf(stderr,
          "usage: nsm_harness probe\n"
          "       nsm_harness launch SOCKET PROGRAM [ARGS...]\n"
          "       nsm_harness supervise SOCKET DEVICE\n");
  return 2;
}
