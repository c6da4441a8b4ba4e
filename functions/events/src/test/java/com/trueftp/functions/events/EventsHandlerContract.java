package com.trueftp.functions.events;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.account.Plan;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventType;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.SampleEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The events function fed sample events, against a real DynamoDB API; subclasses choose which one. */
abstract class EventsHandlerContract {
    private EventsHandler handler;
    private EventLog log;
    private String account;

    abstract AwsUnderTest aws();

    @BeforeEach
    void setUp() {
        AwsUnderTest aws = aws();
        handler = new EventsHandler(DaggerEventsComponent.factory().create(aws.config()));
        log = aws.events();
        account = aws.accounts().create("Acme", Plan.PRO).id();
    }

    private APIGatewayProxyResponseEvent list(Map<String, String> query) {
        APIGatewayProxyRequestEvent event = SampleEvents.request("events/list-events.json", account);
        event.setQueryStringParameters(query);
        return handler.handleRequest(event, null);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> data(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("data");
    }

    @Test
    void listsTheAccountsEventsNewestFirstInTheEnvelope() throws Exception {
        log.append(account, new Event.Draft(EventType.FTP_USER_CREATED, "ftp_1", "pipeline", null, null),
                EventLog.AccountChange.NONE, List.of());
        log.append(account, new Event.Draft(EventType.FILE_UPLOADED, "ftp_1", "pipeline", "/in/a.csv", 1024L),
                EventLog.AccountChange.NONE, List.of());

        APIGatewayProxyResponseEvent response = list(Map.of("limit", "50", "offset", "0"));

        assertThat(response.getStatusCode()).isEqualTo(200);
        Map<String, Object> page = SampleEvents.json(response);
        assertThat(page).containsEntry("limit", 50).containsEntry("offset", 0).containsEntry("total", 2);
        List<Map<String, Object>> events = data(page);
        assertThat(events).extracting(e -> e.get("type")).containsExactly("file.uploaded", "ftp_user.created");
        assertThat(events.get(0)).containsOnlyKeys("id", "type", "ftp_user_id", "username", "path", "size", "source",
                "created_at").containsEntry("path", "/in/a.csv").containsEntry("size", 1024).containsEntry("source", "api");
        assertThat((String) events.get(0).get("created_at")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(events.get(1)).containsEntry("path", null).containsEntry("size", null);
    }

    @Test
    void filtersByTypeAndUser() throws Exception {
        log.append(account, new Event.Draft(EventType.FTP_USER_CREATED, "ftp_1", "a", null, null), EventLog.AccountChange.NONE, List.of());
        log.append(account, new Event.Draft(EventType.FTP_USER_CREATED, "ftp_2", "b", null, null), EventLog.AccountChange.NONE, List.of());
        log.append(account, new Event.Draft(EventType.FTP_USER_DELETED, "ftp_1", "a", null, null), EventLog.AccountChange.NONE, List.of());
        Map<String, Object> created = SampleEvents.json(list(Map.of("type", "ftp_user.created")));
        assertThat(created).containsEntry("total", 2);
        Map<String, Object> userOne = SampleEvents.json(list(Map.of("ftp_user_id", "ftp_1")));
        assertThat(data(userOne)).extracting(e -> e.get("type")).containsExactly("ftp_user.deleted", "ftp_user.created");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "limit|0|limit must be a whole number from 1 to 200, got 0",
            "limit|abc|limit must be a whole number from 1 to 200, got abc",
            "offset|-3|offset must be a whole number of at least 0, got -3",
            "type|file.renamed|type must be one of file.uploaded, file.downloaded, file.deleted, folder.created, folder.deleted, ftp_user.created, ftp_user.updated, ftp_user.deleted, got file.renamed",
            "ftp_user_id|a/b|ftp_user_id must be an FTP user id such as ftp_0Abc…, got a/b"})
    void badParametersAre400(String name, String value, String error) throws Exception {
        APIGatewayProxyResponseEvent response = list(Map.of(name, value));
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(SampleEvents.json(response)).isEqualTo(Map.of("error", error));
    }

    @Test
    void aNewAccountHasAnEmptyStream() throws Exception {
        assertThat(SampleEvents.json(list(null))).isEqualTo(Map.of("data", List.of(), "limit", 50, "offset", 0,
                "total", 0));
    }
}
