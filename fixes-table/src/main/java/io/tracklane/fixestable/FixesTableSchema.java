package io.tracklane.fixestable;

import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The fixes table's key schema and rider index, for development and tests (Terraform creates the
 * table on AWS, with the same layout: infra-terraform's dynamodb module).
 */
public final class FixesTableSchema {
  private FixesTableSchema() {}

  public static CreateTableRequest createTable(String table) {
    return CreateTableRequest.builder()
        .tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            attr(FixItemCodec.TASK_ID, ScalarAttributeType.S),
            attr(FixItemCodec.TS, ScalarAttributeType.N),
            attr(FixItemCodec.RIDER_ID, ScalarAttributeType.S))
        .keySchema(key(FixItemCodec.TASK_ID, KeyType.HASH), key(FixItemCodec.TS, KeyType.RANGE))
        .globalSecondaryIndexes(
            GlobalSecondaryIndex.builder()
                .indexName(FixItemCodec.RIDER_INDEX)
                .keySchema(
                    key(FixItemCodec.RIDER_ID, KeyType.HASH), key(FixItemCodec.TS, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                .build())
        .build();
  }

  private static AttributeDefinition attr(String name, ScalarAttributeType type) {
    return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
