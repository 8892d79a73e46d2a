#pragma once
// The memory behind tensors. A training loop allocates the same sizes every step, so
// buffers are recycled by size (rounded up to 64 bytes, 64-byte aligned): in steady state a
// step takes no tensor memory from the heap, and the kernel is not asked for fresh pages on
// every op. Buffers come from the global operator new (aligned), so a program that replaces
// it sees them.
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace nabla {

class Storage {
 public:
  explicit Storage(std::size_t nbytes);
  // Memory the caller owns (from_blob): used in place and never freed here; the caller keeps
  // it alive while any tensor on it lives, as libtorch's from_blob asks.
  Storage(void* borrowed, std::size_t nbytes) : data_(borrowed), nbytes_(nbytes), owned_(false) {}
  ~Storage();
  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;

  void* data() { return data_; }
  const void* data() const { return data_; }
  std::size_t nbytes() const { return nbytes_; }

  // Counts in-place writes, so that the engine can tell when a tensor an op used was
  // changed before that op's backward ran (which would silently give wrong gradients).
  // Atomic: a backward on one thread may add into a gradient while another reads versions.
  uint64_t version() const { return version_.load(std::memory_order_relaxed); }
  void bump_version() { version_.fetch_add(1, std::memory_order_relaxed); }

 private:
  void* data_;
  std::size_t nbytes_;
  bool owned_ = true;
  std::atomic<uint64_t> version_{0};
};

// Bytes of memory the machine has (RAM and swap): a buffer larger than this is refused
// before asking for it, since the system might grant it and kill the process on first touch.
std::size_t total_memory_bytes();

// Bytes held by the buffer cache for reuse; empty_cache() gives them back to the system.
std::size_t cached_bytes();
void empty_cache();

}  // namespace nabla
