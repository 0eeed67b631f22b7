// Little-endian binary encoding for the model format. ByteReader checks every read against the
// bytes that remain, and every count against what those bytes could hold, so a hostile buffer
// yields ErrorCode::Format instead of a crash or a huge allocation.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

#include "core/error.hpp"

namespace pml {

class ByteWriter {
 public:
  template <typename T>
  void put(T v) {
    static_assert(std::is_arithmetic<T>::value, "put() takes numbers");
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    // The format is little-endian; swap on a big-endian host.
    if (!host_is_little_endian()) std::reverse(raw, raw + sizeof(T));
    put_bytes(raw, sizeof(T));
  }
  // Overwrites the value written by put<T> at byte offset at.
  template <typename T>
  void patch(size_t at, T v) {
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, &v, sizeof(T));
    if (!host_is_little_endian()) std::reverse(raw, raw + sizeof(T));
    std::memcpy(bytes_.data() + at, raw, sizeof(T));
  }
  void put_string(const std::string &s) {
    put<uint64_t>(s.size());
    put_bytes(s.data(), s.size());
  }
  template <typename T>
  void put_vector(const std::vector<T> &v) {
    put<uint64_t>(v.size());
    for (const T &x : v) put<T>(x);
  }
  void put_bytes(const void *data, size_t n) {
    // resize + memcpy rather than insert: GCC 12 misreports insert into an empty vector
    // (-Wstringop-overflow) once the caller is inlined.
    if (n == 0) return;
    size_t at = bytes_.size();
    bytes_.resize(at + n);
    std::memcpy(bytes_.data() + at, data, n);
  }
  std::vector<unsigned char> &bytes() { return bytes_; }

  static bool host_is_little_endian() {
    const uint16_t one = 1;
    unsigned char first;
    std::memcpy(&first, &one, 1);
    return first == 1;
  }

 private:
  std::vector<unsigned char> bytes_;
};

class ByteReader {
 public:
  ByteReader(const unsigned char *data, size_t size, std::string what)
      : data_(data), size_(size), what_(std::move(what)) {}

  template <typename T>
  T get() {
    static_assert(std::is_arithmetic<T>::value, "get() returns numbers");
    need(sizeof(T));
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, data_ + pos_, sizeof(T));
    if (!ByteWriter::host_is_little_endian()) std::reverse(raw, raw + sizeof(T));
    pos_ += sizeof(T);
    T v;
    std::memcpy(&v, raw, sizeof(T));
    return v;
  }
  // A count of elements of elem_size bytes each that must fit in what remains.
  uint64_t get_count(size_t elem_size) {
    uint64_t n = get<uint64_t>();
    if (elem_size > 0 && n > remaining() / elem_size) {
      fail(ErrorCode::Format, what_, ": count ", n, " at byte ", pos_ - 8,
           " exceeds the remaining data");
    }
    return n;
  }
  std::string get_string() {
    uint64_t n = get_count(1);
    std::string s(reinterpret_cast<const char *>(data_ + pos_), n);
    pos_ += n;
    return s;
  }
  template <typename T>
  std::vector<T> get_vector() {
    uint64_t n = get_count(sizeof(T));
    std::vector<T> v(n);
    for (auto &x : v) x = get<T>();
    return v;
  }
  void skip(size_t n) {
    need(n);
    pos_ += n;
  }
  size_t remaining() const { return size_ - pos_; }
  size_t position() const { return pos_; }
  const std::string &what() const { return what_; }
  // Fails unless every byte was consumed.
  void expect_end() const {
    if (pos_ != size_) {
      fail(ErrorCode::Format, what_, ": ", size_ - pos_, " unexpected trailing bytes");
    }
  }
  // Throws ErrorCode::Format with the reader's context.
  template <typename... Parts>
  [[noreturn]] void corrupt(Parts &&...parts) const {
    fail(ErrorCode::Format, what_, ": ", std::forward<Parts>(parts)...);
  }

 private:
  void need(size_t n) const {
    if (n > size_ - pos_) {
      fail(ErrorCode::Format, what_, ": truncated at byte ", pos_, " (needed ", n, " more)");
    }
  }

  const unsigned char *data_;
  size_t size_;
  size_t pos_ = 0;
  std::string what_;
};

uint32_t crc32(const unsigned char *data, size_t size);

}  // namespace pml
