package com.trueftp.http;

import com.trueftp.emulators.ProjectPaths;
import com.trueftp.testing.OpenApiContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/openapi.yaml describes exactly the route table: it cannot drift from what the gateways serve. */
class OpenApiDocumentTest {
    private static final Path DOCUMENT = ProjectPaths.root().resolve("docs/openapi.yaml");

    @Test
    void theDocumentsOperationsAreTheRouteTable() throws Exception {
        OpenApiContract contract = new OpenApiContract(DOCUMENT);
        assertThat(contract.operations()).containsExactlyInAnyOrderElementsOf(
                Routes.ALL.stream().map(Route::toString).toList());
    }

    @Test
    void eachOperationNamesTheScopeItsRouteNeeds() throws Exception {
        OpenApiContract contract = new OpenApiContract(DOCUMENT);
        Map<String, String> documented = new TreeMap<>();
        for (Route route : Routes.ALL) {
            documented.put(route.toString(), contract.requiredScope(route.method(), route.path()));
        }
        assertThat(documented).isEqualTo(Routes.ALL.stream().collect(Collectors.toMap(Route::toString,
                r -> r.isPublic() ? "none" : r.scope().id(), (a, b) -> a, TreeMap::new)));
    }
}
