#include "autograd/storage.h"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

#if defined(__linux__)
#include <sys/sysinfo.h>
#else
#include <unistd.h>
#endif

namespace nabla {
namespace {

constexpr std::size_t kAlignment = 64;
// Above this, freed buffers go back to the system rather than the cache.
constexpr std::size_t kMaxCachedBytes = std::size_t{256} << 20;

class BufferCache {
 public:
  void* allocate(std::size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      auto it = free_.find(bytes);
      if (it != free_.end() && !it->second.empty()) {
        void* p = it->second.back();
        it->second.pop_back();
        cached_ -= bytes;
        return p;
      }
    }
    // Through operator new rather than aligned_alloc: a program that replaces the global
    // allocation functions (to count, trace or pool) sees tensor memory too.
    return ::operator new(bytes, std::align_val_t{kAlignment});
  }

  void release(void* p, std::size_t bytes) {
    {
      std::lock_guard lock(mutex_);
      if (cached_ + bytes <= kMaxCachedBytes) {
        free_[bytes].push_back(p);
        cached_ += bytes;
        return;
      }
    }
    ::operator delete(p, std::align_val_t{kAlignment});
  }

  std::size_t cached() {
    std::lock_guard lock(mutex_);
    return cached_;
  }

  void clear() {
    std::lock_guard lock(mutex_);
    for (auto& [bytes, list] : free_) {
      for (void* p : list) ::operator delete(p, std::align_val_t{kAlignment});
    }
    free_.clear();
    cached_ = 0;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::size_t, std::vector<void*>> free_;
  std::size_t cached_ = 0;
};

// Never destroyed, so that a tensor living in a static outlives nothing it needs.
BufferCache& cache() {
  static auto* instance = new BufferCache;
  return *instance;
}

std::size_t round_up(std::size_t n) { return (std::max<std::size_t>(n, 1) + kAlignment - 1) / kAlignment * kAlignment; }

void* allocate(std::size_t nbytes) { return cache().allocate(round_up(nbytes)); }

}  // namespace

Storage::Storage(std::size_t nbytes) : data_(allocate(nbytes)), nbytes_(nbytes) {}

Storage::~Storage() {
  if (owned_) cache().release(data_, round_up(nbytes_));
}

std::size_t total_memory_bytes() {
#if defined(__linux__)
  struct sysinfo info {};
  if (sysinfo(&info) == 0) {
    return (static_cast<std::size_t>(info.totalram) + info.totalswap) * info.mem_unit;
  }
  return SIZE_MAX;
#else
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? static_cast<std::size_t>(pages) * static_cast<std::size_t>(page) : SIZE_MAX;
#endif
}

std::size_t cached_bytes() { return cache().cached(); }
void empty_cache() { cache().clear(); }

}  // namespace nabla
