package dev.mayfly.memory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where this process sits in the cgroup hierarchies: its cgroup v2 folder, and its cgroup v1
 * memory folder, each with the mount it lives under. Read from {@code /proc/self/cgroup} (the
 * paths) and {@code /proc/self/mountinfo} (where each hierarchy is mounted, and which part of it).
 *
 * @param v2 the v2 (unified) folder, when a v2 hierarchy is mounted
 * @param v1Memory the v1 memory controller's folder, when one is mounted
 */
public record CgroupLocation(Optional<Folder> v2, Optional<Folder> v1Memory) {

    /** A cgroup's folder and the folder its hierarchy is mounted at (the top a walk upwards may reach). */
    public record Folder(Path path, Path mount) {

        /** This folder and its ancestors up to the mount, this folder first. */
        public List<Path> upToMount() {
            List<Path> folders = new ArrayList<>();
            for (Path folder = path; folder != null && folder.startsWith(mount); folder = folder.getParent()) {
                folders.add(folder);
            }
            return folders;
        }
    }

    public static CgroupLocation none() {
        return new CgroupLocation(Optional.empty(), Optional.empty());
    }

    /** Reads this process's location; none when /proc does not tell (not Linux). */
    public static CgroupLocation ofThisProcess() {
        try {
            return parse(Files.readString(Path.of("/proc/self/cgroup"), StandardCharsets.UTF_8),
                    Files.readString(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return none();
        }
    }

    /** @param cgroupFile the text of /proc/self/cgroup; @param mountinfo the text of /proc/self/mountinfo */
    public static CgroupLocation parse(String cgroupFile, String mountinfo) {
        String v2Path = null;
        String v1MemoryPath = null;
        for (String line : cgroupFile.split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length < 3) {
                continue;
            }
            if (parts[0].equals("0") && parts[1].isEmpty()) {
                v2Path = parts[2];
            } else if (List.of(parts[1].split(",")).contains("memory")) {
                v1MemoryPath = parts[2];
            }
        }
        Optional<Folder> v2 = Optional.empty();
        Optional<Folder> v1 = Optional.empty();
        for (String line : mountinfo.split("\n")) {
            Mount mount = Mount.parse(line);
            if (mount == null) {
                continue;
            }
            if (v2Path != null && v2.isEmpty() && mount.type.equals("cgroup2")) {
                v2 = Optional.of(mount.folder(v2Path));
            } else if (v1MemoryPath != null && v1.isEmpty() && mount.type.equals("cgroup")
                    && List.of(mount.superOptions.split(",")).contains("memory")) {
                v1 = Optional.of(mount.folder(v1MemoryPath));
            }
        }
        return new CgroupLocation(v2, v1);
    }

    /** One line of mountinfo: {@code id parent major:minor root mountpoint options [optional…] - type source superoptions}. */
    private record Mount(String root, Path point, String type, String superOptions) {

        static Mount parse(String line) {
            String[] fields = line.trim().split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 6 || separator < 6 || fields.length < separator + 3) {
                return null;
            }
            return new Mount(unescape(fields[3]), Path.of(unescape(fields[4])), fields[separator + 1],
                    fields.length > separator + 3 ? fields[separator + 3] : "");
        }

        /**
         * The folder of a cgroup path under this mount. Inside a container the mount's root is the
         * container's own cgroup (or the path reads "/" in a cgroup namespace): the part of the path
         * below the root is what lies under the mount point.
         */
        Folder folder(String cgroupPath) {
            String relative = cgroupPath;
            if (!root.equals("/") && (cgroupPath.equals(root) || cgroupPath.startsWith(root + "/"))) {
                relative = cgroupPath.substring(root.length());
            }
            relative = relative.replaceAll("^/+", "");
            return new Folder(relative.isEmpty() ? point : point.resolve(relative).normalize(), point);
        }

        /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
        private static String unescape(String text) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 4 <= text.length() && text.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 4), 8));
                    i += 3;
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    }
}
