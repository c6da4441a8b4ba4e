package com.trueftp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a run measured: figures from different machines (or loads) do not compare. */
record Machine(int nproc, long memoryBytes, String cpuModel, String javaVersion, String javaVm, String os) {

    static Machine current() throws IOException {
        return new Machine(Runtime.getRuntime().availableProcessors(), readMemTotalBytes(), readCpuModel(),
                System.getProperty("java.version"), System.getProperty("java.vm.name"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    }

    @Override
    public String toString() {
        return String.format("nproc %d, %.1f GiB memory, %s; Java %s (%s)", nproc, memoryBytes / (1024.0 * 1024 * 1024),
                cpuModel, javaVersion, javaVm);
    }

    Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("nproc", nproc);
        json.put("memory_total_bytes", memoryBytes);
        json.put("cpu_model", cpuModel);
        json.put("java_version", javaVersion);
        json.put("java_vm", javaVm);
        json.put("os", os);
        return json;
    }

    private static long readMemTotalBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024; // the value is in kB
            }
        }
        throw new IOException("no MemTotal in /proc/meminfo");
    }

    private static String readCpuModel() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }
}
